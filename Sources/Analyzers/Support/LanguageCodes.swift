/// Whoosh's language names (`whoosh.lang.two_letter_code`): two-letter codes, three-letter
/// codes, and names in English and in the language itself.
enum LanguageCodes {
    static let languages: Set<String> = ["ar", "da", "nl", "en", "fi", "fr", "de", "hu", "it", "no", "pt", "ro", "ru", "es", "sv", "tr"]
    static let aliases: [String: String] = [
        "ara": "ar", "dan": "da", "nld": "nl", "eng": "en", "fin": "fi", "fra": "fr", "deu": "de", "hun": "hu", "ita": "it",
        "nor": "no", "por": "pt", "ron": "ro", "rus": "ru", "spa": "es", "swe": "sv", "tur": "tr",
        "arabic": "ar", "danish": "da", "dutch": "nl", "english": "en", "finnish": "fi", "french": "fr", "german": "de",
        "hungarian": "hu", "italian": "it", "norwegian": "no", "portuguese": "pt", "romanian": "ro", "russian": "ru",
        "spanish": "es", "swedish": "sv", "turkish": "tr",
        "العربية": "ar", "dansk": "da", "nederlands": "nl", "suomi": "fi", "français": "fr", "deutsch": "de", "magyar": "hu",
        "italiano": "it", "norsk": "no", "português": "pt", "русский язык": "ru", "español": "es", "svenska": "sv", "türkçe": "tr",
    ]

    /// The two-letter code for `name`, or nil when Whoosh would not know it.
    static func twoLetterCode(_ name: String) -> String? {
        languages.contains(name) ? name : aliases[name]
    }
}
