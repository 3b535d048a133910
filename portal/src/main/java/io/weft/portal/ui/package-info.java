/**
 * Vaadin views: the app shell, sign-in and sign-up, the signed-in layout with the dashboard, and
 * the small helpers every view shares ({@link io.weft.portal.ui.Problems} shows the services'
 * refusals at the field they name). Views call fabric services with the explicit caller from {@link
 * io.weft.portal.ui.CurrentUser}; authorization stays in the services.
 */
package io.weft.portal.ui;
