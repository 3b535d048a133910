package io.weft.ipam;

/** The value asked for explicitly is already allocated (an API answers 409). */
public class AddressInUseException extends IpamConflictException {

  public AddressInUseException(String message, String field) {
    super(message, field);
  }
}
