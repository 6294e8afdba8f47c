"""Views of steps 4–5, one module per part; every view starts from the resolved agreement."""
