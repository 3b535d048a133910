package io.weft.portal.ui.diagnostics;

import com.vaadin.flow.component.grid.Grid;
import io.weft.diagnostics.PathStep;

/** Every step of a trace, there (→) and back (←): where, which stage, what happened and why. */
class PathStepsGrid extends Grid<PathStep> {

  PathStepsGrid() {
    super(PathStep.class, false);
    addColumn(s -> s.direction() == PathStep.Direction.FORWARD ? "→" : "←")
        .setHeader("")
        .setFlexGrow(0)
        .setWidth("3em");
    addColumn(PathStep::host).setHeader("Where").setAutoWidth(true);
    addColumn(PathStep::stage).setHeader("Stage").setAutoWidth(true);
    addColumn(PathStep::detail).setHeader("What happened").setFlexGrow(2);
    addColumn(PathStep::decidedBy).setHeader("Decided by").setFlexGrow(2);
    setAllRowsVisible(true);
  }
}
