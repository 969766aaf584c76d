"""How good the annotations are: agreement between annotators (agreement/), the vote that starts a gold
set (voting.py), and model versions against gold (evaluation.py)."""
