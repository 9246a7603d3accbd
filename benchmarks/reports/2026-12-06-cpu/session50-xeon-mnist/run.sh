#!/bin/bash
# MNIST with the benchmark's command at its budget of 56,000 iterations (conv-small,
# reuse_fakes="auto", latent_dim 30), both threads, machine otherwise idle, one seed after
# another; models saved (git-ignored). The fiftieth session's 2-core VM is again the Intel Xeon
# with AMX (first time since the thirty-third session), so this measures today's code there.
# The same command as the forty-ninth session's run.sh, writing here. Run from a checkout of
# the code under test:
#   bash benchmarks/reports/2026-12-06-cpu/session50-xeon-mnist/run.sh 0 1 2
OUT_DIR=benchmarks/reports/2026-12-06-cpu/session50-xeon-mnist \
  exec bash "$(dirname "$0")/../session49-mnist56/run.sh" "$@"
