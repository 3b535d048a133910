/**
 * The REST API under /api/v1 for scripts: thin controllers over the fabric's services, errors as
 * application/problem+json naming the field and the reason, idempotent creates.
 */
package io.weft.portal.api;
