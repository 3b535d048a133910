package io.weft.ipam;

/** The pool or range named by id does not exist (an API answers 404). */
public class IpamNotFoundException extends IpamException {

  public IpamNotFoundException(String message, String field) {
    super(message, field);
  }
}
