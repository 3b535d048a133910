package io.weft.portal.api;

import io.weft.fabric.Page;
import io.weft.fabric.PageRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.ResponseEntity;

/**
 * Paged lists keep the body scripts already read (a JSON array) and carry the paging in headers:
 * {@code X-Total-Count} and an RFC 8288 {@code Link} with {@code rel="next"} (and {@code "prev"}),
 * whose URLs repeat the request's own filters.
 */
final class PagedResponses {

  static final String TOTAL_COUNT = "X-Total-Count";
  static final String LINK = "Link";

  private static final Set<String> PAGING_PARAMETERS = Set.of("offset", "limit");

  private PagedResponses() {}

  /** The requested page; absent parameters mean the first page of the default size. */
  static PageRequest request(Integer offset, Integer limit) {
    return new PageRequest(
        offset == null ? 0 : offset, limit == null ? PageRequest.DEFAULT_LIMIT : limit);
  }

  static <T> ResponseEntity<List<T>> of(Page<T> page, HttpServletRequest request) {
    List<String> links = new ArrayList<>();
    page.next().ifPresent(next -> links.add(link(request, next, "next")));
    previous(page.request()).ifPresent(prev -> links.add(link(request, prev, "prev")));
    var response = ResponseEntity.ok().header(TOTAL_COUNT, Long.toString(page.total()));
    if (!links.isEmpty()) {
      response.header(LINK, String.join(", ", links));
    }
    return response.body(page.items());
  }

  private static Optional<PageRequest> previous(PageRequest current) {
    if (current.offset() == 0) {
      return Optional.empty();
    }
    return Optional.of(
        new PageRequest(Math.max(0, current.offset() - current.limit()), current.limit()));
  }

  private static String link(HttpServletRequest request, PageRequest page, String relation) {
    StringBuilder url = new StringBuilder(request.getRequestURL()).append('?');
    for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
      if (!PAGING_PARAMETERS.contains(parameter.getKey())) {
        for (String value : parameter.getValue()) {
          url.append(encode(parameter.getKey())).append('=').append(encode(value)).append('&');
        }
      }
    }
    url.append("offset=").append(page.offset()).append("&limit=").append(page.limit());
    return "<" + url + ">; rel=\"" + relation + "\"";
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
