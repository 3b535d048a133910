package io.weft.portal.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.Icon;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.progressbar.ProgressBarVariant;
import com.vaadin.flow.theme.lumo.LumoUtility;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Small building blocks every view uses, so pages look alike: headers, empty states, bars. */
public final class Ui {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  private Ui() {}

  /** A page title with a line of explanation and the page's main actions on the right. */
  public static HorizontalLayout header(String title, String subtitle, Component... actions) {
    H2 h = new H2(title);
    h.addClassNames(LumoUtility.Margin.NONE, LumoUtility.FontSize.XLARGE);
    h.setId("page-title");
    Paragraph p = new Paragraph(subtitle);
    p.addClassNames(LumoUtility.Margin.NONE, LumoUtility.TextColor.SECONDARY);
    Div text = new Div(h, p);
    HorizontalLayout bar = new HorizontalLayout(text);
    bar.setWidthFull();
    bar.setAlignItems(FlexComponent.Alignment.CENTER);
    bar.expand(text);
    bar.add(actions);
    return bar;
  }

  public static H3 section(String title) {
    H3 h = new H3(title);
    h.addClassNames(
        LumoUtility.Margin.Top.MEDIUM,
        LumoUtility.Margin.Bottom.XSMALL,
        LumoUtility.FontSize.LARGE);
    return h;
  }

  /** What to show instead of an empty grid: what this is and what to do next. */
  public static VerticalLayout emptyState(
      VaadinIcon icon, String title, String hint, Component... actions) {
    Icon i = icon.create();
    i.setSize("48px");
    i.addClassNames(LumoUtility.TextColor.TERTIARY);
    H3 h = new H3(title);
    h.addClassNames(LumoUtility.Margin.NONE);
    Paragraph p = new Paragraph(hint);
    p.addClassNames(LumoUtility.TextColor.SECONDARY, LumoUtility.Margin.NONE);
    VerticalLayout box = new VerticalLayout(i, h, p);
    box.add(actions);
    box.setAlignItems(FlexComponent.Alignment.CENTER);
    box.addClassNames(
        LumoUtility.Padding.XLARGE,
        LumoUtility.Border.ALL,
        LumoUtility.BorderColor.CONTRAST_10,
        LumoUtility.BorderRadius.LARGE,
        LumoUtility.TextAlignment.CENTER);
    box.addClassName("empty-state");
    return box;
  }

  /** A bar with its numbers beside it; turns amber past 75 % and red past 90 %. */
  public static HorizontalLayout usageBar(double percent, String text) {
    ProgressBar bar = new ProgressBar(0, 100, Math.clamp(percent, 0, 100));
    bar.setWidth("6em");
    if (percent >= 90) {
      bar.addThemeVariants(ProgressBarVariant.LUMO_ERROR);
    } else if (percent >= 75) {
      bar.addThemeVariants(ProgressBarVariant.LUMO_CONTRAST);
    } else {
      bar.addThemeVariants(ProgressBarVariant.LUMO_SUCCESS);
    }
    Span label = new Span(text);
    label.addClassNames(
        LumoUtility.FontSize.SMALL, LumoUtility.TextColor.SECONDARY, LumoUtility.Whitespace.NOWRAP);
    HorizontalLayout row = new HorizontalLayout(bar, label);
    row.setAlignItems(FlexComponent.Alignment.CENTER);
    row.setSpacing(true);
    return row;
  }

  /** A small rounded label, e.g. a state. */
  public static Span pill(String text, boolean good) {
    Span s = new Span(text);
    s.addClassNames(
        LumoUtility.FontSize.XSMALL,
        LumoUtility.FontWeight.SEMIBOLD,
        LumoUtility.Padding.Horizontal.SMALL,
        LumoUtility.Padding.Vertical.XSMALL,
        LumoUtility.BorderRadius.LARGE,
        good ? LumoUtility.Background.SUCCESS_10 : LumoUtility.Background.CONTRAST_10,
        good ? LumoUtility.TextColor.SUCCESS : LumoUtility.TextColor.SECONDARY);
    return s;
  }

  public static Button primary(String text, VaadinIcon icon) {
    Button b = new Button(text, icon.create());
    b.addThemeVariants(com.vaadin.flow.component.button.ButtonVariant.LUMO_PRIMARY);
    return b;
  }

  /** "12 s ago", "5 min ago", or the time for anything older than a day. */
  public static String ago(Instant instant) {
    if (instant == null) {
      return "never";
    }
    long s = java.time.Duration.between(instant, Instant.now()).toSeconds();
    if (s < 60) {
      return Math.max(0, s) + " s ago";
    }
    if (s < 3600) {
      return s / 60 + " min ago";
    }
    if (s < 86400) {
      return s / 3600 + " h ago";
    }
    return time(instant);
  }

  public static String time(Instant instant) {
    return instant == null ? "—" : TIME.format(instant);
  }

  /** A page's content area with the usual padding and width limit. */
  public static void page(VerticalLayout view) {
    view.setPadding(true);
    view.setSpacing(true);
    view.setMaxWidth("1200px");
    view.setWidthFull();
  }
}
