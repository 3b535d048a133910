/**
 * The web face of Weft: Vaadin views for tenants and operators, the REST API, security and the
 * wiring of the other modules into one application. Nothing depends on this module.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Portal")
package io.weft.portal;
