/** A refusal some reads still throw (routes answer it 403); commands return the one failure type instead. */
export class AccessDenied extends Error {
  status = 403;
  constructor(message = "You may not act on this member's data.") {
    super(message);
  }
}
