from tests.themes.factories import add_content, grow_tree, make_chain, make_theme  # noqa: F401  (older imports)
