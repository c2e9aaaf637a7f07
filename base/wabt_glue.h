// Conversions between our types and wabt's. Included only by .cpp files of base/ and passes/ that already
// depend on wabt; never by cli/.
#pragma once
#include <wabt/common.h>
#include <wabt/feature.h>

#include "base/features.h"

namespace fleetpack {

/// wabt feature flags with exactly the given features on (and none of wabt's defaults), except GC and
/// typed function references, which stay off (wabt 1.0.32 aborts on some of their forms).
wabt::Features to_wabt_features(FeatureSet set);
/// Every feature wabt can safely parse on: modules are read permissively, then checked against a profile.
wabt::Features all_wabt_features();

}  // namespace fleetpack
