"""Demo and benchmark data, apart from the production apps: `seed_demo` loads the demo that
`make run`, the tests and the browser tours use; `seed_bench` makes agreements for the benchmarks.

Nothing in `pitebra`, `plans`, `followup` or `security` imports from here
(`tests/test_architecture.py`).
"""
