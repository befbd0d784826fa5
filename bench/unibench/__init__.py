"""unibench: Unilab's benchmark harness.

One study is one module in studies/; each runs its cases in interleaved
rounds and returns every sample. `python3 -m unibench --help` (with bench/
on PYTHONPATH; ./unilab bench does that) lists the options.
"""
