/* SPDX-License-Identifier: Apache-2.0 */
#ifndef RIG_ARDUCHIP_H
#define RIG_ARDUCHIP_H
#endif
