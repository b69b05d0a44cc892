/// The one thing the event loop does next for a connection, as decided by its state machine.
///
/// An action that produces a result is followed by the event that reports it (noted on each
/// case), and that event's answer is the next action; the loop goes on until `wait` or `close`.
/// Payloads are only what was already built (a parsed request, an error to encode), so deciding
/// costs no allocation.
enum ConnectionAction {
    /// Nothing until the next socket event, handler answer or timer.
    case wait
    /// Read once from the socket: report `received`, `endOfInput` or `socketFailed`; on EAGAIN, wait.
    case read
    /// Ask the responder for the body limit of this head's route: report `bodyLimitFound`.
    case lookUpBodyLimit(HTTPRequestHead)
    /// Send the interim `100 Continue`: report `continueSent`.
    case sendContinue
    /// Hand the request to a handler: report its answer with `responseReady` or `streamFinished`.
    case dispatch(HTTPRequestHead, body: [UInt8], keepAlive: Bool)
    /// Encode this refusal: report the bytes with `errorResponseEncoded`.
    case respondWithError(ErrorResponse)
    /// Send the machine's unsent output: report `wrote`, `writeWouldBlock` or `socketFailed`.
    case write
    /// Shut the socket's write side, then carry on as for `discardInput`.
    case linger
    /// Read and drop what has arrived: report `endOfInput` at the end of the stream; on EAGAIN, wait.
    case discardInput
    /// Close the socket and forget the connection.
    case close
}
