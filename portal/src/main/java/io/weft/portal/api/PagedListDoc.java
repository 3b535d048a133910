package io.weft.portal.api;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The OpenAPI description of a paged list, written once for every list that pages. */
final class PagedListDoc {

  private PagedListDoc() {}

  /** The 200 answer of a paged list: a JSON array, with the paging in headers. */
  @Target(ElementType.METHOD)
  @Retention(RetentionPolicy.RUNTIME)
  @ApiResponse(
      responseCode = "200",
      description = "One page of the list, in its stable order; the paging is in the headers",
      headers = {
        @Header(
            name = PagedResponses.TOTAL_COUNT,
            description = "How many items the whole list holds",
            schema = @Schema(type = "integer", format = "int64")),
        @Header(
            name = PagedResponses.LINK,
            description =
                "RFC 8288 links to the neighbouring pages: rel=\"next\" while the list goes on,"
                    + " rel=\"prev\" after the first page",
            schema = @Schema(type = "string"))
      })
  @interface PagedAnswer {}

  /** The {@code offset} query parameter. */
  @Target(ElementType.PARAMETER)
  @Retention(RetentionPolicy.RUNTIME)
  @Parameter(
      description = "How many items of the list's order to skip",
      schema = @Schema(type = "integer", minimum = "0", defaultValue = "0"))
  @interface Offset {}

  /** The {@code limit} query parameter. */
  @Target(ElementType.PARAMETER)
  @Retention(RetentionPolicy.RUNTIME)
  @Parameter(
      description = "How many items to return at most",
      schema = @Schema(type = "integer", minimum = "1", maximum = "1000", defaultValue = "100"))
  @interface Limit {}
}
