// SPDX-License-Identifier: GPL-2.0
/*
 * Validation of module parameters that have a range. Kept apart from
 * main.c, which declares the parameters, so that KUnit can test the
 * validators without pulling in the module's init code.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>

#include "offloadmod.h"

/**
 * offloadmod_param_set_max_cgroups() - parse and range-check max_cgroups
 * @val: the value as given to insmod/modprobe
 * @kp: the parameter; kp->arg points to the unsigned int to set
 *
 * An out-of-range value fails the module load (the module loader turns
 * the error into a failed init_module), and says which parameter and range.
 *
 * Return: 0, or -EINVAL with *kp->arg unchanged.
 */
int offloadmod_param_set_max_cgroups(const char *val,
				     const struct kernel_param *kp)
{
	unsigned int n;

	if (kstrtouint(val, 0, &n) || n < OFFLOADMOD_MAX_CGROUPS_MIN ||
	    n > OFFLOADMOD_MAX_CGROUPS_MAX) {
		pr_err("max_cgroups=%s is invalid: must be %u..%u\n", val,
		       OFFLOADMOD_MAX_CGROUPS_MIN, OFFLOADMOD_MAX_CGROUPS_MAX);
		return -EINVAL;
	}
	*(unsigned int *)kp->arg = n;
	return 0;
}

const struct kernel_param_ops offloadmod_max_cgroups_ops = {
	.set = offloadmod_param_set_max_cgroups,
	.get = param_get_uint,
};
