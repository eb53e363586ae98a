"""The Taper page's panels: hold, cut, reinstatement, next step, plan builder, crossover
planner and liquid calculator, each a non-modal panel shown inside the page."""
