"""Test-only backends for the fine-grained CLI and report tests (registered on import, once)."""

from __future__ import annotations

import json

from snellen.models.base import Backend, ErrorInfo, Response, register_backend


@register_backend("t-fgmixed")
class MixedBackend(Backend):
    """Right on a third, garbage on a third, a server error on a third (by sample index)."""

    def identity(self):
        return {"backend": "t-fgmixed"}

    def transmission(self):
        return {"format": "none", "resize": None}

    def answer(self, requests):
        out = []
        for r in requests:
            i = r.sample.index % 3
            if i == 0:
                out.append(Response(text=json.dumps(r.sample.answer)))
            elif i == 1:
                out.append(Response(text="<<<%%% garbage ]]]"))
            else:
                out.append(Response(text=None, error=ErrorInfo("server_error", "HTTP 503")))
        return out


@register_backend("t-fgctrlc")
class CtrlCBackend(Backend):
    """Answers right; the first time it is asked its second batch, the user presses Ctrl-C."""

    calls = 0
    interrupted = False

    def identity(self):
        return {"backend": "t-fgctrlc"}

    def transmission(self):
        return {"format": "none", "resize": None}

    def answer(self, requests):
        type(self).calls += 1
        if type(self).calls == 2 and not type(self).interrupted:
            type(self).interrupted = True
            raise KeyboardInterrupt
        return [Response(text=json.dumps(r.sample.answer)) for r in requests]
