#pragma once
// Reading and writing atom files (docs/atom-file-format.md): versioned JSON that holds a
// whole AtomSet, room impulses included, so a file re-renders anywhere on its own.
// Every function throws AtomFileError; none of them crashes or allocates without bound
// on a hostile file.
#include <QByteArray>
#include <string>

#include "io/atom_file_error.h"
#include "model/atom_set.h"

namespace audiosplat::io {

// The set as JSON text, one atom a line. Throws AtomFileError (Invalid) when the set
// holds something the format cannot (see io/atom_set_check.h), so that every document
// written reads back into an identical set. Room hashes are computed from the samples.
QByteArray atomSetToJson(const AtomSet& set);

// The set a document describes, every field checked: type, range, room hashes.
AtomSet parseAtomJson(const QByteArray& json);

// Reads and parses a file; the message of any error starts with the path.
AtomSet readAtomFile(const std::string& path);

// Writes atomically: to a temporary file in the same directory, then renamed over path.
void writeAtomFile(const std::string& path, const AtomSet& set);

// True when the file's first non-blank character is '{': an atom file, not audio.
// Reads at most a few bytes; false when the file cannot be read.
bool looksLikeAtomFile(const std::string& path);

}  // namespace audiosplat::io
