"""The review: conflicts of interest, reviewer assignment, scores, and the decision."""
