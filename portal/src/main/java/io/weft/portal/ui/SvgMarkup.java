package io.weft.portal.ui;

/** The few SVG elements Weft's server-side pictures are drawn with, attribute values escaped. */
public final class SvgMarkup {

  private SvgMarkup() {}

  public static String line(int x1, int y1, int x2, int y2, String stroke, double width) {
    return "<line x1=\""
        + x1
        + "\" y1=\""
        + y1
        + "\" x2=\""
        + x2
        + "\" y2=\""
        + y2
        + "\" stroke=\""
        + stroke
        + "\" stroke-width=\""
        + number(width)
        + "\"/>";
  }

  /** Text starting at (x, y). */
  public static String text(int x, int y, String text, int size, String weight, String fill) {
    return text(x, y, text, size, weight, fill, "start");
  }

  public static String text(
      int x, int y, String text, int size, String weight, String fill, String anchor) {
    return "<text x=\""
        + x
        + "\" y=\""
        + y
        + "\" font-size=\""
        + size
        + "\" font-weight=\""
        + weight
        + "\" fill=\""
        + fill
        + "\" text-anchor=\""
        + anchor
        + "\">"
        + escape(text)
        + "</text>";
  }

  /** Text safe inside an element or a double-quoted attribute. */
  public static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private static String number(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
