package io.weft.diagnostics.drops;

import io.weft.diagnostics.ReportedDrop;
import java.util.UUID;

/** A reported drop with the tenant and VM network it was resolved to (null: nobody's). */
record StoredDrop(UUID tenant, UUID vmNetwork, ReportedDrop drop) {}
