package io.weft.portal.ui;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import io.weft.fabric.AuditEntry;
import java.util.List;

/** The latest audit lines on a dashboard: when, who, what, the result and its detail, compact. */
public class RecentAuditGrid extends Grid<AuditEntry> {

  public RecentAuditGrid(List<AuditEntry> entries) {
    super(AuditEntry.class, false);
    addColumn(e -> Ui.time(e.at())).setHeader("When").setAutoWidth(true);
    addColumn(AuditEntry::actor).setHeader("Who").setAutoWidth(true);
    addColumn(AuditEntry::action).setHeader("What").setAutoWidth(true);
    addColumn(AuditEntry::result).setHeader("Result").setAutoWidth(true);
    addColumn(e -> e.detail() == null ? "" : e.detail()).setHeader("Detail");
    setItems(entries);
    setAllRowsVisible(true);
    addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
  }
}
