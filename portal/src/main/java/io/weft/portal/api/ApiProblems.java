package io.weft.portal.api;

import io.weft.fabric.AccessDeniedException;
import io.weft.fabric.ConcurrentChangeException;
import io.weft.fabric.ConflictException;
import io.weft.fabric.FabricException;
import io.weft.fabric.InvalidRequestException;
import io.weft.fabric.NotFoundException;
import io.weft.ipam.IpamConflictException;
import io.weft.ipam.IpamException;
import io.weft.ipam.IpamNotFoundException;
import io.weft.ipam.IpamValidationException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every error of the API as application/problem+json with a title, a detail a person can act on
 * and, where one is at fault, the {@code field}. Unexpected failures are logged here and answered
 * with a plain 500 that reveals nothing of the server's insides.
 */
@RestControllerAdvice
class ApiProblems {

  private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);

  @ExceptionHandler(FabricException.class)
  ProblemDetail fabric(FabricException e) {
    HttpStatus status =
        switch (e) {
          case InvalidRequestException x -> HttpStatus.BAD_REQUEST;
          case NotFoundException x -> HttpStatus.NOT_FOUND;
          case ConflictException x -> HttpStatus.CONFLICT;
          case AccessDeniedException x -> HttpStatus.FORBIDDEN;
          case io.weft.diagnostics.TooManyProbesException x -> HttpStatus.TOO_MANY_REQUESTS;
          default -> HttpStatus.BAD_REQUEST;
        };
    return problem(status, e.getMessage(), e.field());
  }

  /**
   * A change that lost to concurrent ones even after the fabric retried it: nothing was written, so
   * 503 with {@code Retry-After} (as a busy replica answers), which clients and HAProxy-fronted
   * scripts retry, and never the 409 of a conflict with the current state that a retry cannot cure.
   */
  @ExceptionHandler(ConcurrentChangeException.class)
  ResponseEntity<ProblemDetail> concurrent(ConcurrentChangeException e) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "1")
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage(), Optional.empty()));
  }

  @ExceptionHandler(IpamException.class)
  ProblemDetail ipam(IpamException e) {
    HttpStatus status =
        switch (e) {
          case IpamValidationException x -> HttpStatus.BAD_REQUEST;
          case IpamNotFoundException x -> HttpStatus.NOT_FOUND;
          case IpamConflictException x -> HttpStatus.CONFLICT;
          default -> HttpStatus.CONFLICT;
        };
    return problem(status, e.getMessage(), e.field());
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ProblemDetail unreadable(HttpMessageNotReadableException e) {
    return problem(
        HttpStatus.BAD_REQUEST,
        "the request body is not valid JSON of the expected shape",
        Optional.empty());
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ProblemDetail badPathOrParameter(MethodArgumentTypeMismatchException e) {
    Class<?> type = e.getRequiredType();
    String expected =
        type != null && Number.class.isAssignableFrom(type) ? ": a whole number is expected" : "";
    return problem(
        HttpStatus.BAD_REQUEST,
        "'" + e.getValue() + "' is not a valid " + e.getName() + expected,
        Optional.of(e.getName()));
  }

  @ExceptionHandler({
    MissingServletRequestParameterException.class,
    MissingRequestHeaderException.class
  })
  ProblemDetail missing(Exception e) {
    return problem(HttpStatus.BAD_REQUEST, e.getMessage(), Optional.empty());
  }

  @ExceptionHandler(NoResourceFoundException.class)
  ProblemDetail noSuchPath(NoResourceFoundException e) {
    return problem(HttpStatus.NOT_FOUND, "no such resource", Optional.empty());
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ProblemDetail method(HttpRequestMethodNotSupportedException e) {
    return problem(HttpStatus.METHOD_NOT_ALLOWED, e.getMessage(), Optional.empty());
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ProblemDetail mediaType(HttpMediaTypeNotSupportedException e) {
    return problem(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        "send JSON with Content-Type: application/json",
        Optional.empty());
  }

  @ExceptionHandler(org.springframework.security.access.AccessDeniedException.class)
  ProblemDetail denied(org.springframework.security.access.AccessDeniedException e) {
    return problem(HttpStatus.FORBIDDEN, "not allowed", Optional.empty());
  }

  @ExceptionHandler(RuntimeException.class)
  ProblemDetail unexpected(RuntimeException e) {
    log.error("unexpected failure answering an API call", e);
    return problem(
        HttpStatus.INTERNAL_SERVER_ERROR,
        "an unexpected error occurred; it has been logged",
        Optional.empty());
  }

  static ProblemDetail problem(HttpStatus status, String detail, Optional<String> field) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setTitle(status.getReasonPhrase());
    field.ifPresent(f -> problem.setProperty("field", f));
    return problem;
  }
}
