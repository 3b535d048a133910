/**
 * Persistence and bootstrap of accounts; hidden behind {@link
 * io.weft.fabric.identity.AccountService}.
 */
package io.weft.fabric.identity.internal;
