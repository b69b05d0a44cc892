/// The one JSON shape of phones and e-mails, shared by responses and stored debtor rows.
public enum ContactJSON {
    public static func write(_ phones: [Phone], to writer: inout JSONWriter) {
        writer.beginArray()
        for phone in phones {
            writer.beginObject()
            writer.field("number", phone.number)
            writer.field("type", phone.type.rawValue)
            writer.key("consent")
            writer.beginObject()
            writer.field("calls", phone.consentCalls)
            writer.field("sms", phone.consentSMS)
            writer.endObject()
            writer.endObject()
        }
        writer.endArray()
    }

    public static func write(_ emails: [Email], to writer: inout JSONWriter) {
        writer.beginArray()
        for email in emails {
            writer.beginObject()
            writer.field("address", email.address)
            writer.field("opted_out", email.optedOut)
            writer.endObject()
        }
        writer.endArray()
    }
}
