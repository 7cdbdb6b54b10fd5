// SPDX-License-Identifier: GPL-2.0
/* Placeholder: the POLICY_* netlink commands are being written. */
#include "policy.h"
