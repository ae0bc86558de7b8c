"""python -m graphrnn.tf1: the same as the graphrnn-tf1 console script."""

from graphrnn.tf1.runner.command import console_main

console_main()
