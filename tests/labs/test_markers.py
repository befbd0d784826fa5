#!/usr/bin/env python3
"""Unit tests of the lab regions: finding them, stripping them, and the
errors for regions that do not open and close properly."""
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from labtool import markers  # noqa: E402

C = """int f(int x)
{
	/* LAB demo BEGIN: double x,
	 * then add one */
	int y = 2 * x;
	return y + 1;
	/* LAB demo END: (void)x;
	 * return -38; */
}

int g(void)
{
	/* LAB demo.part BEGIN: return 7 */
	return 7;
	/* LAB demo.part END */
}
/* LAB other BEGIN: not this lab */
int h;
/* LAB other END */
"""

PY = """def f():
    # LAB exp BEGIN: compute it
    return 42
    # LAB exp END: raise NotImplementedError("lab exp")
"""


class Markers(unittest.TestCase):
    def test_finds_every_region_with_hint_and_stub(self):
        rs = markers.find_regions(C, "x.c")
        self.assertEqual([r.name for r in rs], ["demo", "demo.part", "other"])
        self.assertEqual(rs[0].hint, ["\t/* LAB demo: double x,", "\t * then add one */"])
        self.assertEqual(rs[0].stub, ["(void)x;", "return -38;"])
        self.assertEqual(rs[1].stub, [])

    def test_strip_a_lab_takes_all_its_parts_and_leaves_others(self):
        text, n = markers.strip(C, ["demo"], "x.c")
        self.assertEqual(n, 2)
        self.assertIn("\t/* LAB demo: double x,\n\t * then add one */\n\t(void)x;\n\treturn -38;\n}", text)
        self.assertNotIn("2 * x", text)
        self.assertNotIn("return 7;", text)
        self.assertIn("/* LAB other BEGIN: not this lab */\nint h;", text)

    def test_strip_one_part(self):
        text, n = markers.strip(C, ["demo.part"], "x.c")
        self.assertEqual(n, 1)
        self.assertIn("2 * x", text)
        self.assertNotIn("return 7;", text)

    def test_hash_comments(self):
        text, n = markers.strip(PY, ["exp"], "x.py")
        self.assertEqual(n, 1)
        self.assertEqual(text, 'def f():\n    # LAB exp: compute it\n'
                               '    raise NotImplementedError("lab exp")\n')

    def test_bad_regions_are_refused_with_their_place(self):
        cases = {
            "/* LAB a BEGIN: x */\n/* LAB b BEGIN: y */\n/* LAB b END */\n": "x.c:2: LAB b begins inside LAB a",
            "int x;\n/* LAB a END */\n": "x.c:2: LAB a END without its BEGIN",
            "/* LAB a BEGIN: x */\nint y;\n": "x.c:1: LAB a never ends",
            "/* LAB a BEGIN: x\nint y;\n": "x.c:1: a LAB comment is never closed",
            "/* LAB a BEGIN: x */\n/* LAB b END */\n": "x.c:2: LAB b END without its BEGIN",
        }
        for text, why in cases.items():
            with self.assertRaises(markers.MarkerError) as e:
                markers.find_regions(text, "x.c")
            self.assertIn(why, str(e.exception))


if __name__ == "__main__":
    unittest.main()
