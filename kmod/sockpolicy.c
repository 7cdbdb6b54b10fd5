// SPDX-License-Identifier: GPL-2.0
/* Placeholder: socket enforcement is being written. */
#include "policy.h"
