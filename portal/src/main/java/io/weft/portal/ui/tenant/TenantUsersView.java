package io.weft.portal.ui.tenant;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.EmailField;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.weft.fabric.TenantService;
import io.weft.fabric.identity.Account;
import io.weft.fabric.identity.Role;
import io.weft.portal.ui.CurrentUser;
import io.weft.portal.ui.Problems;
import io.weft.portal.ui.Ui;
import jakarta.annotation.security.RolesAllowed;
import java.util.Map;

/** The organisation's users; its administrators add members (or more administrators). */
@Route("users")
@PageTitle("Users · Weft")
@RolesAllowed("TENANT_ADMIN")
public class TenantUsersView extends VerticalLayout {

  final Grid<Account> grid = new Grid<>(Account.class, false);
  final EmailField email = new EmailField("Email");
  final Select<Role> role = new Select<>();
  final PasswordField password = new PasswordField("Initial password");
  final Button add = Ui.primary("Add user", VaadinIcon.PLUS);
  private final TenantService tenants;
  private final CurrentUser user;

  public TenantUsersView(TenantService tenants, CurrentUser user) {
    this.tenants = tenants;
    this.user = user;
    Ui.page(this);
    grid.setId("users-grid");
    grid.addColumn(Account::username).setHeader("User").setAutoWidth(true);
    grid.addColumn(a -> a.role() == Role.TENANT_ADMIN ? "Administrator" : "Member")
        .setHeader("Role")
        .setAutoWidth(true);
    grid.addColumn(a -> Ui.time(a.createdAt())).setHeader("Added").setAutoWidth(true);
    grid.setAllRowsVisible(true);
    grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
    add(
        Ui.header(
            "Users", "Who can sign in to your organisation. Members manage networks and VMs."),
        grid,
        Ui.section("Add a user"),
        form());
    refresh();
  }

  private FormLayout form() {
    email.setId("user-email");
    role.setLabel("Role");
    role.setId("user-role");
    role.setItems(Role.TENANT_MEMBER, Role.TENANT_ADMIN);
    role.setItemLabelGenerator(r -> r == Role.TENANT_ADMIN ? "Administrator" : "Member");
    role.setValue(Role.TENANT_MEMBER);
    password.setId("user-password");
    password.setHelperText("Tell them; they can change it under My account.");
    add.setId("user-add");
    add.addClickListener(e -> addUser());
    FormLayout form = new FormLayout(email, role, password, add);
    form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 4));
    return form;
  }

  void addUser() {
    Problems.attempt(
            () ->
                tenants.addUser(
                    user.caller(),
                    user.tenant(),
                    email.getValue().strip(),
                    password.getValue(),
                    role.getValue()),
            Map.of("email", email, "username", email, "password", password))
        .ifPresent(a -> {
          Problems.success(a.username() + " can now sign in");
          email.clear();
          password.clear();
          refresh();
        });
  }

  void refresh() {
    grid.setItems(tenants.listUsers(user.caller(), user.tenant()));
  }
}
