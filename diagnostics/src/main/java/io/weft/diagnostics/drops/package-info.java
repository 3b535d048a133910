/**
 * Drop records: what agents report of their switches' recent drops, kept bounded per host in the
 * database (so every replica serves them) and listed per VM network for tenants and per host for
 * operators, always with how many records were lost on the way.
 */
package io.weft.diagnostics.drops;
