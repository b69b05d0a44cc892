import ParleyCore

/// The JSON every delivery channel carries: `{message_id, channel, to, subject, body}`.
enum OutboundMessageJSON {
    static func encode(_ message: OutboundMessage) -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("message_id", message.messageID)
        writer.field("channel", message.channel.rawValue)
        writer.field("to", message.to)
        writer.field("subject", message.subject)
        writer.field("body", message.body)
        writer.endObject()
        return writer.bytes
    }
}
