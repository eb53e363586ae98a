"""Pages of the unlocked diary. Each refreshes itself on the window's ``changed`` signal;
pages never call each other."""
