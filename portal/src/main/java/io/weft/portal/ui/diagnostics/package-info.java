/**
 * Diagnostics views for operators and tenants: trace a packet between two vNICs and see the one
 * sentence, the blockers with their fixes and the path drawn as server-side SVG.
 */
package io.weft.portal.ui.diagnostics;
