package io.weft.portal.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.theme.lumo.LumoUtility;

/** A number with its label, for dashboards. */
public class StatCard extends Div {

  public StatCard(String label, String value, String note) {
    Span v = new Span(value);
    v.addClassNames(LumoUtility.FontSize.XXXLARGE, LumoUtility.FontWeight.SEMIBOLD);
    v.addClassName("stat-value");
    Span l = new Span(label);
    l.addClassNames(LumoUtility.TextColor.SECONDARY, LumoUtility.FontSize.SMALL);
    add(l, v);
    if (note != null) {
      Span n = new Span(note);
      n.addClassNames(LumoUtility.TextColor.TERTIARY, LumoUtility.FontSize.XSMALL);
      add(n);
    }
    addClassNames(
        LumoUtility.Display.FLEX,
        LumoUtility.FlexDirection.COLUMN,
        LumoUtility.Padding.MEDIUM,
        LumoUtility.BorderRadius.LARGE,
        LumoUtility.Border.ALL,
        LumoUtility.BorderColor.CONTRAST_10,
        LumoUtility.Background.BASE);
    setMinWidth("10em");
    getStyle().set("flex", "1 1 0");
    setId("stat-" + label.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z]+", "-"));
  }
}
