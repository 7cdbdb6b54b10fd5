// SPDX-License-Identifier: GPL-2.0
/* Placeholder: the DEV_* netlink commands are being written. */
#include "devpolicy.h"
