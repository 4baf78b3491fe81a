"""Recognition: thanks tied to a company value, its feeds, and equity in who gets recognised."""
