#pragma once
// The last step of the GPU gradient, on the CPU in double: from the per-atom sums that
// gpu::AtomBackward leaves to dLoss/dparameter in physical units (Param order), by the same
// chain rule as reference::atomGradient. It is O(partials) per atom, so it costs nothing,
// and doing it in double keeps pow/log/exp of the partial table off the GPU.
#include <span>

#include "model/atom_set.h"

namespace audiosplat::gpu {

// slots: the atom's AtomBackward::kSlots scalars; partials: its 64 x 3 partial values;
// norms: the renderer's sums of squares for it (b, e, y, u).
ParamVector chainAtomGradient(const Atom& atom, const AtomSet& context, std::span<const float> slots,
                              std::span<const float> partials, std::span<const float> sums);

}  // namespace audiosplat::gpu
