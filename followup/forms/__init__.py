"""Forms of steps 4–5, one module per part, as the models and views are split."""
