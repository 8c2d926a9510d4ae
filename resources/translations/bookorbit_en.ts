<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="en_US">
<context>
    <name>BookOrbit</name>
    <message numerus="yes">
        <source>%n reading session(s), %1 in all</source>
        <translation>
            <numerusform>%n reading session, %1 in all</numerusform>
            <numerusform>%n reading sessions, %1 in all</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n sync(s) moved to it.</source>
        <translation>
            <numerusform>%n sync moved to it.</numerusform>
            <numerusform>%n syncs moved to it.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n book(s)</source>
        <translation>
            <numerusform>%n book</numerusform>
            <numerusform>%n books</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>about %n minute(s)</source>
        <translation>
            <numerusform>about %n minute</numerusform>
            <numerusform>about %n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>about %n hour(s)</source>
        <translation>
            <numerusform>about %n hour</numerusform>
            <numerusform>about %n hours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s) ago</source>
        <translation>
            <numerusform>%n minute ago</numerusform>
            <numerusform>%n minutes ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s) ago</source>
        <translation>
            <numerusform>%n hour ago</numerusform>
            <numerusform>%n hours ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) ago</source>
        <translation>
            <numerusform>%n day ago</numerusform>
            <numerusform>%n days ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n address(es)</source>
        <translation>
            <numerusform>%n address</numerusform>
            <numerusform>%n addresses</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n book(s) waiting</source>
        <translation>
            <numerusform>%n book waiting</numerusform>
            <numerusform>%n books waiting</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n book(s) to look up</source>
        <translation>
            <numerusform>%n book to look up</numerusform>
            <numerusform>%n books to look up</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n new book(s) added</source>
        <translation>
            <numerusform>%n new book added</numerusform>
            <numerusform>%n new books added</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n copy(ies) of known books added</source>
        <translation>
            <numerusform>%n copy of a known book added</numerusform>
            <numerusform>%n copies of known books added</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n moved file(s) found again</source>
        <translation>
            <numerusform>%n moved file found again</numerusform>
            <numerusform>%n moved files found again</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n changed file(s) updated</source>
        <translation>
            <numerusform>%n changed file updated</numerusform>
            <numerusform>%n changed files updated</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) already in the library</source>
        <translation>
            <numerusform>%n file already in the library</numerusform>
            <numerusform>%n files already in the library</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) left out: their books were removed from the library</source>
        <translation>
            <numerusform>%n file left out: its book was removed from the library</numerusform>
            <numerusform>%n files left out: their books were removed from the library</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) that are not ebooks were skipped.</source>
        <translation>
            <numerusform>%n file that is not an ebook was skipped.</numerusform>
            <numerusform>%n files that are not ebooks were skipped.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Earlier KOReader progress linked to %n book(s).</source>
        <translation>
            <numerusform>Earlier KOReader progress linked to %n book.</numerusform>
            <numerusform>Earlier KOReader progress linked to %n books.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) share a KOReader document id with another file; if a device syncs one of them, link it under Unlinked Documents.</source>
        <translation>
            <numerusform>%n file shares a KOReader document id with another file; if a device syncs it, link it under Unlinked Documents.</numerusform>
            <numerusform>%n files share a KOReader document id with another file; if a device syncs one of them, link it under Unlinked Documents.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) could not be imported; the details say why. Nothing else was affected.</source>
        <translation>
            <numerusform>%n file could not be imported; the details say why. Nothing else was affected.</numerusform>
            <numerusform>%n files could not be imported; the details say why. Nothing else was affected.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n result(s) for “%1”.</source>
        <translation>
            <numerusform>%n result for “%1”.</numerusform>
            <numerusform>%n results for “%1”.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Wrote metadata into %n file(s).</source>
        <translation>
            <numerusform>Wrote metadata into %n file.</numerusform>
            <numerusform>Wrote metadata into %n files.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Put back %n file(s) from their backups.</source>
        <translation>
            <numerusform>Put back %n file from its backup.</numerusform>
            <numerusform>Put back %n files from their backups.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n book(s) not changed:</source>
        <translation>
            <numerusform>%n book not changed:</numerusform>
            <numerusform>%n books not changed:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n cover(s)</source>
        <translation>
            <numerusform>%n cover</numerusform>
            <numerusform>%n covers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n cover(s) named by the library were not in its covers folder; each is made again from its book when it is shown.</source>
        <translation>
            <numerusform>%n cover named by the library was not in its covers folder; it is made again from its book when it is shown.</numerusform>
            <numerusform>%n covers named by the library were not in its covers folder; each is made again from its book when it is shown.</numerusform>
        </translation>
    </message>
</context>
</TS>
