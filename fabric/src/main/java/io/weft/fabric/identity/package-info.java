/**
 * Who may act: accounts of operators and tenant users, their roles, and password handling. The
 * portal's security adapts this to Spring Security; nothing here knows about HTTP.
 */
@org.springframework.modulith.NamedInterface("identity")
package io.weft.fabric.identity;
