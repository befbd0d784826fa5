"""Unilab's coursework labs: the regions students write, and the grader."""
