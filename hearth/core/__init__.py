"""Project-wide pieces that belong to no HUD concept: the demo set-up."""
