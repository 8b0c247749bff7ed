// snellen human exam page: one probe at a time, 1 image pixel = 1 device pixel, keyboard first.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  let cur = null;          // the trial on show (from GET /api/trial)
  let t0 = null;           // response-time start: when the probe was first on screen 1:1
  let shownOk = false;     // the probe is currently shown 1:1 and fully inside the window
  let busy = false;
  let keyHandler = null;   // keydown handler of the current controls
  let collect = null;      // () => answer object, for form-style controls

  function show(section) {
    for (const id of ["trial", "break", "done", "feedback"]) $(id).hidden = id !== section;
    document.body.dataset.state = section;
  }

  function notice(text) {
    $("notice").hidden = !text;
    $("notice").textContent = text || "";
    document.body.dataset.notice = text ? "1" : "";
  }

  async function api(path, body) {
    const opts = body === undefined
      ? { cache: "no-store" }
      : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
    let r;
    try {
      r = await fetch(path, opts);
    } catch (e) {
      return { status: 0, data: { error: "The exam server is not reachable (was it stopped?). Your answers so far are saved." } };
    }
    const text = await r.text();
    let data;
    try { data = JSON.parse(text); } catch (e) { data = { error: text }; }
    return { status: r.status, data };
  }

  function progress(p) {
    if (p) $("progress").textContent = `${p.answered} of ${p.planned} answered`;
  }

  async function load() {
    const { status, data } = await api("/api/trial");
    if (status !== 200) { notice(data.error || `The exam server answered ${status}.`); return; }
    progress(data.progress);
    if (data.state === "break") {
      cur = null;
      $("break-text").textContent = `${data.progress.answered} of ${data.progress.planned} trials answered.`;
      show("break");
      $("continue").focus();
      return;
    }
    if (data.state === "done") {
      cur = null;
      $("done-text").textContent = `${data.progress.answered} of ${data.progress.planned} trials answered.`;
      $("block").textContent = "";
      show("done");
      return;
    }
    showTrial(data);
  }

  function showTrial(s) {
    cur = s;
    document.body.dataset.ready = "";
    shownOk = false;
    t0 = null;
    $("block").textContent = s.block;
    const badge = $("badge");
    badge.textContent = s.practice ? `Practice ${s.position} of ${s.block_size}: not scored, with feedback`
                                   : `Trial ${s.position} of ${s.block_size} in this block`;
    badge.className = s.practice ? "practice" : "";
    $("prompt").textContent = s.prompt;
    $("message").textContent = "";
    buildControls(s.controls);
    const img = $("probe");
    $("stage").style.visibility = "hidden";
    img.dataset.sampleId = s.sample_id;
    img.dataset.width = s.width;
    img.dataset.height = s.height;
    show("trial");
    img.onload = () => layout();
    img.onerror = () => notice("The probe image could not be loaded; reload the page.");
    img.src = s.image;
  }

  // Size the probe so that one image pixel is one device pixel, snap it to the device-pixel grid,
  // and only show it (and start the clock) when the window shows all of it 1:1.
  function layout() {
    if (!cur) return;
    const img = $("probe");
    if (!img.complete || !img.naturalWidth) return;
    const dpr = window.devicePixelRatio || 1;
    img.style.width = `${cur.width / dpr}px`;
    img.style.height = `${cur.height / dpr}px`;
    img.scrollIntoView({ block: "nearest", inline: "nearest" });
    // Put the top-left corner on a device-pixel boundary (margins are layout, which Chrome then paints
    // without resampling; a transform would not be).
    img.style.marginLeft = img.style.marginTop = "0px";
    for (let i = 0; i < 2; i++) {
      const r = img.getBoundingClientRect();
      const dx = (Math.ceil(r.left * dpr - 1e-3) - r.left * dpr) / dpr;
      const dy = (Math.ceil(r.top * dpr - 1e-3) - r.top * dpr) / dpr;
      if (Math.abs(dx) < 1e-4 && Math.abs(dy) < 1e-4) break;
      img.style.marginLeft = `${parseFloat(img.style.marginLeft) + dx}px`;
      img.style.marginTop = `${parseFloat(img.style.marginTop) + dy}px`;
    }
    const problem = displayProblem();
    if (problem) {
      shownOk = false;
      t0 = null;
      document.body.dataset.ready = "";
      $("stage").style.visibility = "hidden";
      enableControls(false);
      notice(problem);
      window.scrollTo(0, 0);
      return;
    }
    notice(null);
    $("stage").style.visibility = "visible";
    enableControls(true);
    if (!shownOk) {
      shownOk = true;
      const shown = cur;
      // the clock starts when the frame with the probe is painted
      requestAnimationFrame(() => requestAnimationFrame(() => {
        if (cur === shown && shownOk) { t0 = performance.now(); document.body.dataset.ready = shown.token; }
      }));
      focusFirst();
    }
  }

  function displayed() {
    const img = $("probe"), dpr = window.devicePixelRatio || 1, r = img.getBoundingClientRect();
    return { w: r.width * dpr, h: r.height * dpr, r, dpr };
  }

  function displayProblem() {
    const img = $("probe");
    const { w, h, r, dpr } = displayed();
    if (img.naturalWidth !== cur.width || img.naturalHeight !== cur.height) {
      return `The probe image is ${img.naturalWidth}×${img.naturalHeight} px, not ${cur.width}×${cur.height}: reload the page.`;
    }
    const scale = window.visualViewport ? window.visualViewport.scale : 1;
    if (Math.abs(scale - 1) > 1e-3) {
      return "The page is pinch-zoomed, so the probe cannot be shown 1:1. Zoom back out to continue.";
    }
    if (Math.abs(w - cur.width) > 1e-3 || Math.abs(h - cur.height) > 1e-3) {
      // CSS lengths are multiples of 1/64 px: at some device pixel ratios (1.25, 1.5, 3 for most sizes) an
      // image cannot cover a whole number of device pixels, and its edges would be resampled.
      return `At this device pixel ratio (${+dpr.toFixed(4)}) the browser would draw the probe on `
        + `${w.toFixed(3)}×${h.toFixed(3)} device pixels instead of ${cur.width}×${cur.height}, so it cannot be shown 1:1. `
        + "Change the browser zoom (Ctrl + or Ctrl −) until this message goes away: ratios of 1, 2 and 4 always work.";
    }
    if (r.width > window.innerWidth || r.height > window.innerHeight || r.left < 0 || r.right > window.innerWidth + 0.5) {
      return `This window is too small to show the probe 1:1: it needs ${cur.width}×${cur.height} device pixels `
        + `(${Math.ceil(cur.width / dpr)}×${Math.ceil(cur.height / dpr)} CSS px at device pixel ratio ${dpr}), and the window `
        + `shows ${window.innerWidth}×${window.innerHeight} CSS px. Enlarge the window to continue.`;
    }
    return null;
  }

  function viewing() {
    const { w, h, dpr } = displayed();
    return {
      screen_w: screen.width, screen_h: screen.height, dpr,
      window_w: window.innerWidth, window_h: window.innerHeight,
      outer_w: window.outerWidth, outer_h: window.outerHeight,
      visual_scale: window.visualViewport ? window.visualViewport.scale : 1,
      displayed_w: Math.round(w), displayed_h: Math.round(h),
    };
  }

  async function submit(answer, input) {
    if (busy || !cur || !shownOk || t0 === null) return;
    busy = true;
    const rt = performance.now() - t0;
    const { status, data } = await api("/api/answer", { token: cur.token, answer, rt_ms: rt, viewing: viewing(), input });
    busy = false;
    if (status === 200) {
      cur = null;
      if (data.practice) await feedback(data);
      await load();
    } else if (status === 400) {
      $("message").textContent = data.error;
    } else {
      $("message").textContent = data.error || `The exam server answered ${status}.`;
      setTimeout(load, 1500);
    }
  }

  function truthText(truth) {
    return Object.values(truth).map((v) => Array.isArray(v) ? v.join(", ")
      : (v && typeof v === "object") ? Object.entries(v).map(([k, n]) => `${n} ${k}`).join(", ") : String(v)).join("; ");
  }

  function feedback(data) {
    const el = $("feedback");
    el.className = data.correct ? "good" : "bad";
    el.textContent = data.correct ? "Right." : `Not quite: the answer was ${truthText(data.truth)}.`;
    show("feedback");
    return new Promise((resolve) => setTimeout(resolve, data.correct ? 700 : 1600));
  }

  async function resume() {
    if (busy) return;
    busy = true;
    await api("/api/continue", {});
    busy = false;
    await load();
  }

  // ----- controls -------------------------------------------------------------------------------------

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v; else if (k === "text") e.textContent = v; else e.setAttribute(k, v);
    }
    for (const c of children) if (c) e.append(c);
    return e;
  }

  function button(label, key, onClick) {
    const b = el("button", { type: "button", "data-value": label, text: label });
    if (key) b.append(el("kbd", { text: key.toUpperCase() }));
    b.addEventListener("click", onClick);
    return b;
  }

  function enableControls(on) {
    for (const e of $("controls").querySelectorAll("button, input")) e.disabled = !on;
  }

  function focusFirst() {
    const input = $("controls").querySelector("input");
    if (input) input.focus(); else if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
  }

  function buildControls(controls) {
    const box = $("controls");
    box.replaceChildren();
    keyHandler = null;
    collect = null;
    const instant = controls.length === 1 && (controls[0].control === "key" || controls[0].control === "buttons");
    if (instant) { instantChoice(box, controls[0]); return; }
    const parts = controls.map((c) => formPart(box, c));
    const handlers = parts.map((p) => p.onKey).filter(Boolean);
    collect = () => Object.fromEntries(controls.map((c, i) => [c.name, parts[i].value()]));
    const answerButton = el("button", { type: "button", class: "submit", text: "Answer" }, el("kbd", { text: "Enter" }));
    answerButton.addEventListener("click", () => submit(collect(), "form"));
    box.append(answerButton);
    keyHandler = (e) => {
      if (e.key === "Enter") { submit(collect(), "form"); return true; }
      return handlers.some((h) => h(e));
    };
    for (const input of box.querySelectorAll("input")) {
      input.addEventListener("keydown", (e) => {
        if (e.key === "Enter" && !e.isComposing) { e.preventDefault(); submit(collect(), "form"); }
      });
    }
  }

  function instantChoice(box, c) {
    const keys = c.control === "key" ? c.options.map((o) => o.toLowerCase()) : c.hotkeys;
    box.append(el("p", { class: "hint", text: c.control === "key"
      ? `Press the key of your answer (${c.options[0]}–${c.options[c.options.length - 1]}); every trial needs an answer, so guess if unsure.`
      : "Press the key shown on your answer, or click it; every trial needs an answer, so guess if unsure." }));
    const row = el("div", { class: c.control === "key" ? "choices keys" : "choices" });
    c.options.forEach((o, i) => row.append(button(o, c.control === "key" ? "" : keys[i], () => submit({ [c.name]: o }, "button"))));
    box.append(row);
    keyHandler = (e) => {
      const i = keys.indexOf(e.key.toLowerCase());
      if (i < 0) return false;
      submit({ [c.name]: c.options[i] }, "key");
      return true;
    };
  }

  function labelled(text, input) {
    return el("label", { class: "field" }, text, input);
  }

  function formPart(box, c) {
    if (c.control === "number") {
      const input = el("input", { type: "text", inputmode: "numeric", autocomplete: "off", "data-field": c.name });
      box.append(labelled(c.label, input));
      return { value: () => input.value };
    }
    if (c.control === "counts") {
      box.append(el("p", { class: "hint", text: "Type how many of each (Tab moves to the next field, Enter answers)." }));
      const inputs = c.keys.map((k) => {
        const input = el("input", { type: "text", inputmode: "numeric", autocomplete: "off", "data-field": `${c.name}.${k}` });
        box.append(labelled(k, input));
        return input;
      });
      return { value: () => Object.fromEntries(c.keys.map((k, i) => [k, inputs[i].value])) };
    }
    if (c.control === "words" || c.control === "text") {
      const input = el("input", { type: "text", class: "wide", autocomplete: "off", autocapitalize: "characters",
        spellcheck: "false", "data-field": c.name });
      box.append(el("p", { class: "hint", text: c.control === "words"
        ? "Type the words in order, separated by spaces, then press Enter." : "Type the word, then press Enter." }));
      box.append(labelled(c.control === "words" ? "words" : "word", input));
      return { value: () => input.value };
    }
    if (c.control === "order") return orderPart(box, c);
    if (c.control === "key" || c.control === "buttons") {  // a choice inside a multi-field form: pick, then Enter
      let picked = null;
      const keys = c.control === "key" ? c.options.map((o) => o.toLowerCase()) : c.hotkeys;
      const row = el("div", { class: "choices" });
      const pick = (o) => { picked = o; for (const b of row.children) b.classList.toggle("picked", b.dataset.value === o); };
      c.options.forEach((o, i) => row.append(button(o, keys[i], () => pick(o))));
      box.append(el("p", { class: "hint", text: c.name }), row);
      return { value: () => picked, onKey: (e) => { const i = keys.indexOf(e.key.toLowerCase()); if (i < 0) return false; pick(c.options[i]); return true; } };
    }
    box.append(el("p", { class: "message", text: `This question (${c.control}) cannot be answered on this page.` }));
    return { value: () => null };
  }

  // Click-to-order: colour, then identity, appends '<colour> <identity>'; Backspace removes the last item.
  function orderPart(box, c) {
    const items = [];
    let colour = null;
    const list = el("ol", { class: "order", "data-field": c.name });
    const colours = el("div", { class: "choices" });
    const identities = el("div", { class: "choices" });
    const redraw = () => {
      list.replaceChildren(...items.map((t) => el("li", { text: t })));
      for (const b of colours.children) b.classList.toggle("picked", b.dataset.value === colour);
    };
    const pickColour = (k) => { colour = k; redraw(); };
    const pickIdentity = (k) => {
      if (colour === null) { $("message").textContent = "Pick the colour first, then the identity."; return; }
      $("message").textContent = "";
      items.push(`${colour} ${k}`);
      colour = null;
      redraw();
    };
    c.colours.forEach((k, i) => colours.append(button(k, c.colour_keys[i], () => pickColour(k))));
    c.identities.forEach((k, i) => identities.append(button(k, c.identity_keys[i], () => pickIdentity(k))));
    const undo = el("button", { type: "button", text: "Remove last" }, el("kbd", { text: "⌫" }));
    undo.addEventListener("click", () => { items.pop(); redraw(); });
    box.append(el("p", { class: "hint", text: "Build the list in order: for each item pick its colour, then its identity (keys or clicks). Backspace removes the last item; Enter answers." }),
      el("p", { class: "hint", text: "colour" }), colours, el("p", { class: "hint", text: "identity" }), identities,
      el("div", { class: "choices" }, undo), list);
    return {
      value: () => items.slice(),
      onKey: (e) => {
        if (e.key === "Backspace") { items.pop(); redraw(); return true; }
        const k = e.key.toLowerCase();
        const ci = c.colour_keys.indexOf(k);
        if (k && ci >= 0) { pickColour(c.colours[ci]); return true; }
        const ii = c.identity_keys.indexOf(k);
        if (k && ii >= 0) { pickIdentity(c.identities[ii]); return true; }
        return false;
      },
    };
  }

  // ----- events ---------------------------------------------------------------------------------------

  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.repeat || e.isComposing) return;
    const state = document.body.dataset.state;
    if (state === "break" && (e.key === " " || e.key === "Enter")) { e.preventDefault(); resume(); return; }
    if (state !== "trial" || !cur || !shownOk || !keyHandler) return;
    if (e.target && e.target.tagName === "INPUT") return;  // typing goes to the field
    if (e.target && e.target.tagName === "BUTTON" && (e.key === " " || e.key === "Enter") && !collect) return;
    if (keyHandler(e)) e.preventDefault();
  });
  $("continue").addEventListener("click", resume);
  window.addEventListener("resize", () => { if (cur) layout(); });
  if (window.visualViewport) window.visualViewport.addEventListener("resize", () => { if (cur) layout(); });
  load();
})();
