package io.weft.portal.ui.tenant;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.weft.fabric.AuditEntry;
import io.weft.fabric.AuditLog;
import io.weft.fabric.AuditQuery;
import io.weft.fabric.Page;
import io.weft.fabric.PageRequest;
import io.weft.fabric.TenantService;
import io.weft.portal.ui.CurrentUser;
import io.weft.portal.ui.PagedItems;
import io.weft.portal.ui.Ui;
import jakarta.annotation.security.RolesAllowed;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The activity log: a tenant administrator sees the organisation's lines (changes, refusals,
 * sign-ins); an operator sees every line of every tenant, with the tenant.
 */
@Route("activity")
@PageTitle("Activity · Weft")
@RolesAllowed({"TENANT_ADMIN", "OPERATOR"})
public class ActivityView extends VerticalLayout {

  final Grid<AuditEntry> grid = new Grid<>(AuditEntry.class, false);
  final TextField filter = new TextField();
  private final AuditLog audit;
  private final CurrentUser user;

  public ActivityView(AuditLog audit, TenantService tenants, CurrentUser user) {
    this.audit = audit;
    this.user = user;
    Ui.page(this);
    setMaxWidth("1400px");
    boolean operator = user.caller().isOperator();
    filter.setPlaceholder("Filter by user, action, target, result…");
    filter.setPrefixComponent(VaadinIcon.SEARCH.create());
    filter.setValueChangeMode(ValueChangeMode.LAZY);
    filter.addValueChangeListener(e -> refresh());
    filter.setId("activity-filter");
    filter.setWidth("22em");
    Button reload = new Button("Refresh", VaadinIcon.REFRESH.create(), e -> refresh());
    add(
        Ui.header(
            operator ? "Audit log" : "Activity",
            operator
                ? "Every change, refusal and sign-in in the cloud, newest first"
                : "What happened in your organisation, newest first",
            filter,
            reload),
        grid);
    grid.setId("activity-grid");
    grid.addColumn(e -> Ui.time(e.at())).setHeader("When").setAutoWidth(true).setFlexGrow(0);
    grid.addColumn(AuditEntry::actor).setHeader("Who").setAutoWidth(true);
    if (operator) {
      Map<String, String> names =
          tenants.list(user.caller()).stream()
              .collect(Collectors.toMap(t -> t.id().value().toString(), t -> t.name()));
      grid.addColumn(
              e -> e.tenantId() == null ? "—" : names.getOrDefault(e.tenantId(), e.tenantId()))
          .setHeader("Tenant")
          .setAutoWidth(true);
    }
    grid.addColumn(AuditEntry::action).setHeader("Action").setAutoWidth(true);
    grid.addColumn(e -> e.target() == null ? "" : e.target())
        .setHeader("Target")
        .setTooltipGenerator(e -> e.target());
    grid.addColumn(AuditEntry::result).setHeader("Result").setAutoWidth(true);
    grid.addColumn(e -> e.detail() == null ? "" : e.detail())
        .setHeader("Detail")
        .setFlexGrow(2)
        .setTooltipGenerator(e -> e.detail());
    grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
    grid.setHeight("calc(100vh - 190px)");
    grid.setEmptyStateText("Nothing has been recorded yet.");
    grid.setItems(
        query -> PagedItems.fetch(query, this::shownPage),
        query -> PagedItems.count(this::shownPage));
  }

  void refresh() {
    grid.getDataProvider().refreshAll();
  }

  /**
   * A page of the lines shown, newest first: the caller's tenant's (every tenant's for operators),
   * those containing the filter's text if there is one. Scrolling on reaches the oldest line.
   */
  private Page<AuditEntry> shownPage(PageRequest page) {
    var caller = user.caller();
    AuditQuery query =
        new AuditQuery(caller.isOperator() ? null : user.tenant(), null, null, filter.getValue());
    return audit.page(caller, query, page);
  }
}
