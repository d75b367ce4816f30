// Tests for RFC 2047 encoded-words, both produced and decoded.

import Testing

@testable import DoorwayMail

@Suite struct EncodedWordDecodingTests {
    @Test func decodesBAndQ() {
        #expect(MIME.decodeEncodedWords("=?UTF-8?B?R3LDvMOfZQ==?=") == "Grüße")
        #expect(MIME.decodeEncodedWords("=?utf-8?q?Hello_World=21?=") == "Hello World!")
        #expect(MIME.decodeEncodedWords("=?ISO-8859-1?Q?Caf=E9?=") == "Café")
        #expect(MIME.decodeEncodedWords("=?us-ascii?Q?plain?=") == "plain")
    }

    @Test func wordsInDifferentEncodingsJoinWithoutTheWhitespaceBetween() {
        let value = "=?UTF-8?B?w6lsw6hvbg==?=\r\n =?ISO-8859-1?Q?_caf=E9?="
        #expect(MIME.decodeEncodedWords(value) == "élèon café")
        #expect(MIME.decodeEncodedWords("=?UTF-8?Q?a?=   \t =?UTF-8?Q?b?=") == "ab")
    }

    @Test func keepsWhitespaceNextToOrdinaryText() {
        #expect(MIME.decodeEncodedWords("Re: =?UTF-8?Q?caf=C3=A9?= time") == "Re: café time")
        #expect(MIME.decodeEncodedWords("=?UTF-8?Q?a?= x =?UTF-8?Q?b?=") == "a x b")
    }

    @Test func joinsACharacterSplitAcrossWords() {
        #expect(MIME.decodeEncodedWords("=?UTF-8?Q?=C3?= =?UTF-8?Q?=A9t=C3=A9?=") == "été")
    }

    @Test func windows1252Punctuation() {
        #expect(MIME.decodeEncodedWords("=?windows-1252?Q?=93Hi=94_=80?=") == "\u{201C}Hi\u{201D} €")
    }

    @Test func leavesUnknownAndMalformedWordsAsWritten() {
        let values = [
            "=?x-unknown?B?SGk=?= there", "=?UTF-8?B?", "=?UTF-8?X?abc?=", "=??B?abc?=", "a =? b ?= c",
            "=?UTF-8?Q?unterminated", "plain text",
        ]
        for value in values {
            #expect(MIME.decodeEncodedWords(value) == value)
        }
    }

    @Test func acceptsRFC2231LanguageAndInvalidUTF8() {
        #expect(MIME.decodeEncodedWords("=?UTF-8*en?Q?hi?=") == "hi")
        #expect(MIME.decodeEncodedWords("=?UTF-8?B?/w==?=") == "\u{FFFD}")
    }
}

@Suite struct EncodedWordEncodingTests {
    @Test func wordsAreShortAndNeverSplitACharacter() {
        let text = String(repeating: "日本語のテキスト😀é", count: 12)
        let words = EncodedWord.encode(text)
        #expect(words.count > 1)
        for word in words {
            #expect(word.utf8.count <= 75)
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            let payload = Array(word.utf8.dropFirst(10).dropLast(2))
            #expect(String(validating: MIME.decodeBase64(payload), as: UTF8.self) != nil)
        }
        #expect(MIME.decodeEncodedWords(words.joined(separator: "\r\n ")) == text)
    }

    @Test func emptyTextIsOneEmptyWord() {
        #expect(EncodedWord.encode("") == ["=?UTF-8?B??="])
        #expect(MIME.decodeEncodedWords("=?UTF-8?B??=") == "")
    }
}
