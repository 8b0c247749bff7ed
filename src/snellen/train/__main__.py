"""`python -m snellen.train CONFIG --out DIR` (also `accelerate launch -m snellen.train ...` for several GPUs)."""

import sys

from snellen.cli import main

if __name__ == "__main__":
    sys.argv = ["snellen", "train", *sys.argv[1:]]
    main()
