package io.weft.ipam;

/** The input is malformed or outside what is allowed (an API answers 400). */
public class IpamValidationException extends IpamException {

  public IpamValidationException(String message, String field) {
    super(message, field);
  }

  public IpamValidationException(String message, String field, Throwable cause) {
    super(message, field, cause);
  }
}
