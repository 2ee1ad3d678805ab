/// The character predicates of Python 3's `re` and `str`, which Whoosh's behaviour rests on,
/// answered from Swift's Unicode scalar properties (so they follow Swift's Unicode version,
/// which may be newer than the reference Python's for recently added characters).
enum PythonCharacterClasses {
    /// `str.isalpha` for one character: general category L*.
    @inline(__always)
    static func isAlpha(_ scalar: UInt32) -> Bool {
        if scalar < 0x80 { return (scalar | 0x20) &- 0x61 < 26 }
        guard let s = Unicode.Scalar(scalar) else { return false }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    /// `str.isalnum` for one character (and so `re`'s `\w` without the underscore): a letter or
    /// anything with a numeric type (decimal, digit or numeric).
    @inline(__always)
    static func isAlnum(_ scalar: UInt32) -> Bool {
        if scalar < 0x80 { return (scalar | 0x20) &- 0x61 < 26 || scalar &- 0x30 < 10 }
        if isAlpha(scalar) { return true }
        guard let s = Unicode.Scalar(scalar) else { return false }
        return s.properties.numericType != nil
    }

    /// `re`'s `\w` for a `str` pattern: alphanumeric or underscore. Combining marks are not
    /// word characters in Python (a decomposed accent splits a word, as it does in Whoosh).
    @inline(__always)
    static func isWord(_ scalar: UInt32) -> Bool {
        scalar == 0x5F || isAlnum(scalar)
    }

    /// `re`'s `\d`: decimal digits (category Nd).
    @inline(__always)
    static func isDecimal(_ scalar: UInt32) -> Bool {
        if scalar < 0x80 { return scalar &- 0x30 < 10 }
        guard let s = Unicode.Scalar(scalar) else { return false }
        return s.properties.generalCategory == .decimalNumber
    }

    /// `str.isdigit` for one character: numeric type decimal or digit.
    @inline(__always)
    static func isDigit(_ scalar: UInt32) -> Bool {
        if scalar < 0x80 { return scalar &- 0x30 < 10 }
        guard let s = Unicode.Scalar(scalar) else { return false }
        return s.properties.numericType == .decimal || s.properties.numericType == .digit
    }

    /// `re`'s `\s` and `str.isspace`: Python counts the bidi separators U+001C...U+001F too.
    @inline(__always)
    static func isSpace(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// Python's `Py_UNICODE_ISLOWER` (the Lowercase property).
    @inline(__always)
    static func isLower(_ scalar: UInt32) -> Bool {
        if scalar < 0x80 { return scalar &- 0x61 < 26 }
        return Unicode.Scalar(scalar)?.properties.isLowercase ?? false
    }

    /// Python's `Py_UNICODE_ISUPPER` (the Uppercase property).
    @inline(__always)
    static func isUpper(_ scalar: UInt32) -> Bool {
        if scalar < 0x80 { return scalar &- 0x41 < 26 }
        return Unicode.Scalar(scalar)?.properties.isUppercase ?? false
    }

    /// Python's `Py_UNICODE_ISTITLE` (category Lt).
    @inline(__always)
    static func isTitle(_ scalar: UInt32) -> Bool {
        if scalar < 0x80 { return false }
        return Unicode.Scalar(scalar)?.properties.generalCategory == .titlecaseLetter
    }
}

/// Python's `str` predicates over a whole UTF-8 term, as Whoosh's filters call them.
enum PythonStringPredicates {
    /// `str.isalpha()`: non-empty and every character a letter.
    static func isAlpha(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        allScalars(bytes, PythonCharacterClasses.isAlpha)
    }

    /// `str.isdigit()`: non-empty and every character a digit.
    static func isDigit(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        allScalars(bytes, PythonCharacterClasses.isDigit)
    }

    /// `str.islower()`: no uppercase or titlecase character and at least one lowercase one.
    static func isLower(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        isCased(bytes, PythonCharacterClasses.isLower, opposite: PythonCharacterClasses.isUpper)
    }

    /// `str.isupper()`: no lowercase or titlecase character and at least one uppercase one.
    static func isUpper(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        isCased(bytes, PythonCharacterClasses.isUpper, opposite: PythonCharacterClasses.isLower)
    }

    private static func isCased(_ bytes: UnsafeBufferPointer<UInt8>, _ wanted: (UInt32) -> Bool, opposite: (UInt32) -> Bool) -> Bool {
        var cased = false
        var ok = true
        forEachScalar(bytes) { s in
            if opposite(s) || PythonCharacterClasses.isTitle(s) { ok = false } else if wanted(s) { cased = true }
        }
        return ok && cased
    }

    @inline(__always)
    static func allScalars(_ bytes: UnsafeBufferPointer<UInt8>, _ predicate: (UInt32) -> Bool) -> Bool {
        if bytes.isEmpty { return false }
        var ok = true
        forEachScalar(bytes) { if !predicate($0) { ok = false } }
        return ok
    }

    @inline(__always)
    static func forEachScalar(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UInt32) -> Void) {
        guard let p = bytes.baseAddress else { return }
        var i = 0
        while i < bytes.count {
            let (s, len) = UTF8Scalars.decode(p, i, bytes.count)
            body(s)
            i += len
        }
    }
}
