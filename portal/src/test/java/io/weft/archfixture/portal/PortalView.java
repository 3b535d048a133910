package io.weft.archfixture.portal;

/** A portal class that lower modules must never see. */
public class PortalView {
  public static String title() {
    return "portal";
  }
}
