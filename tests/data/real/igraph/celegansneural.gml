Creator "Mark Newman on Thu Aug 31 12:59:09 2006"
graph
[
  directed 1
  node
  [
    id 0
    label "1"
  ]
  node
  [
    id 1
    label "51"
  ]
  node
  [
    id 2
    label "72"
  ]
  node
  [
    id 3
    label "77"
  ]
  node
  [
    id 4
    label "78"
  ]
  node
  [
    id 5
    label "2"
  ]
  node
  [
    id 6
    label "90"
  ]
  node
  [
    id 7
    label "92"
  ]
  node
  [
    id 8
    label "158"
  ]
  node
  [
    id 9
    label "159"
  ]
  node
  [
    id 10
    label "113"
  ]
  node
  [
    id 11
    label "69"
  ]
  node
  [
    id 12
    label "71"
  ]
  node
  [
    id 13
    label "89"
  ]
  node
  [
    id 14
    label "91"
  ]
  node
  [
    id 15
    label "3"
  ]
  node
  [
    id 16
    label "47"
  ]
  node
  [
    id 17
    label "9"
  ]
  node
  [
    id 18
    label "17"
  ]
  node
  [
    id 19
    label "21"
  ]
  node
  [
    id 20
    label "93"
  ]
  node
  [
    id 21
    label "94"
  ]
  node
  [
    id 22
    label "23"
  ]
  node
  [
    id 23
    label "121"
  ]
  node
  [
    id 24
    label "125"
  ]
  node
  [
    id 25
    label "131"
  ]
  node
  [
    id 26
    label "31"
  ]
  node
  [
    id 27
    label "4"
  ]
  node
  [
    id 28
    label "60"
  ]
  node
  [
    id 29
    label "10"
  ]
  node
  [
    id 30
    label "16"
  ]
  node
  [
    id 31
    label "18"
  ]
  node
  [
    id 32
    label "22"
  ]
  node
  [
    id 33
    label "24"
  ]
  node
  [
    id 34
    label "97"
  ]
  node
  [
    id 35
    label "122"
  ]
  node
  [
    id 36
    label "126"
  ]
  node
  [
    id 37
    label "132"
  ]
  node
  [
    id 38
    label "32"
  ]
  node
  [
    id 39
    label "303"
  ]
  node
  [
    id 40
    label "5"
  ]
  node
  [
    id 41
    label "7"
  ]
  node
  [
    id 42
    label "222"
  ]
  node
  [
    id 43
    label "101"
  ]
  node
  [
    id 44
    label "305"
  ]
  node
  [
    id 45
    label "6"
  ]
  node
  [
    id 46
    label "102"
  ]
  node
  [
    id 47
    label "99"
  ]
  node
  [
    id 48
    label "100"
  ]
  node
  [
    id 49
    label "27"
  ]
  node
  [
    id 50
    label "8"
  ]
  node
  [
    id 51
    label "26"
  ]
  node
  [
    id 52
    label "44"
  ]
  node
  [
    id 53
    label "37"
  ]
  node
  [
    id 54
    label "11"
  ]
  node
  [
    id 55
    label "19"
  ]
  node
  [
    id 56
    label "29"
  ]
  node
  [
    id 57
    label "12"
  ]
  node
  [
    id 58
    label "41"
  ]
  node
  [
    id 59
    label "118"
  ]
  node
  [
    id 60
    label "25"
  ]
  node
  [
    id 61
    label "30"
  ]
  node
  [
    id 62
    label "13"
  ]
  node
  [
    id 63
    label "143"
  ]
  node
  [
    id 64
    label "28"
  ]
  node
  [
    id 65
    label "43"
  ]
  node
  [
    id 66
    label "14"
  ]
  node
  [
    id 67
    label "144"
  ]
  node
  [
    id 68
    label "20"
  ]
  node
  [
    id 69
    label "34"
  ]
  node
  [
    id 70
    label "15"
  ]
  node
  [
    id 71
    label "40"
  ]
  node
  [
    id 72
    label "128"
  ]
  node
  [
    id 73
    label "139"
  ]
  node
  [
    id 74
    label "140"
  ]
  node
  [
    id 75
    label "108"
  ]
  node
  [
    id 76
    label "35"
  ]
  node
  [
    id 77
    label "107"
  ]
  node
  [
    id 78
    label "133"
  ]
  node
  [
    id 79
    label "134"
  ]
  node
  [
    id 80
    label "105"
  ]
  node
  [
    id 81
    label "106"
  ]
  node
  [
    id 82
    label "36"
  ]
  node
  [
    id 83
    label "33"
  ]
  node
  [
    id 84
    label "73"
  ]
  node
  [
    id 85
    label "136"
  ]
  node
  [
    id 86
    label "74"
  ]
  node
  [
    id 87
    label "161"
  ]
  node
  [
    id 88
    label "129"
  ]
  node
  [
    id 89
    label "135"
  ]
  node
  [
    id 90
    label "120"
  ]
  node
  [
    id 91
    label "38"
  ]
  node
  [
    id 92
    label "39"
  ]
  node
  [
    id 93
    label "160"
  ]
  node
  [
    id 94
    label "130"
  ]
  node
  [
    id 95
    label "174"
  ]
  node
  [
    id 96
    label "42"
  ]
  node
  [
    id 97
    label "189"
  ]
  node
  [
    id 98
    label "82"
  ]
  node
  [
    id 99
    label "70"
  ]
  node
  [
    id 100
    label "45"
  ]
  node
  [
    id 101
    label "141"
  ]
  node
  [
    id 102
    label "55"
  ]
  node
  [
    id 103
    label "119"
  ]
  node
  [
    id 104
    label "137"
  ]
  node
  [
    id 105
    label "46"
  ]
  node
  [
    id 106
    label "142"
  ]
  node
  [
    id 107
    label "114"
  ]
  node
  [
    id 108
    label "56"
  ]
  node
  [
    id 109
    label "62"
  ]
  node
  [
    id 110
    label "86"
  ]
  node
  [
    id 111
    label "193"
  ]
  node
  [
    id 112
    label "138"
  ]
  node
  [
    id 113
    label "109"
  ]
  node
  [
    id 114
    label "52"
  ]
  node
  [
    id 115
    label "58"
  ]
  node
  [
    id 116
    label "61"
  ]
  node
  [
    id 117
    label "75"
  ]
  node
  [
    id 118
    label "76"
  ]
  node
  [
    id 119
    label "81"
  ]
  node
  [
    id 120
    label "85"
  ]
  node
  [
    id 121
    label "48"
  ]
  node
  [
    id 122
    label "110"
  ]
  node
  [
    id 123
    label "80"
  ]
  node
  [
    id 124
    label "88"
  ]
  node
  [
    id 125
    label "216"
  ]
  node
  [
    id 126
    label "49"
  ]
  node
  [
    id 127
    label "54"
  ]
  node
  [
    id 128
    label "50"
  ]
  node
  [
    id 129
    label "154"
  ]
  node
  [
    id 130
    label "96"
  ]
  node
  [
    id 131
    label "127"
  ]
  node
  [
    id 132
    label "95"
  ]
  node
  [
    id 133
    label "166"
  ]
  node
  [
    id 134
    label "53"
  ]
  node
  [
    id 135
    label "57"
  ]
  node
  [
    id 136
    label "63"
  ]
  node
  [
    id 137
    label "198"
  ]
  node
  [
    id 138
    label "87"
  ]
  node
  [
    id 139
    label "84"
  ]
  node
  [
    id 140
    label "59"
  ]
  node
  [
    id 141
    label "67"
  ]
  node
  [
    id 142
    label "178"
  ]
  node
  [
    id 143
    label "64"
  ]
  node
  [
    id 144
    label "65"
  ]
  node
  [
    id 145
    label "220"
  ]
  node
  [
    id 146
    label "66"
  ]
  node
  [
    id 147
    label "68"
  ]
  node
  [
    id 148
    label "221"
  ]
  node
  [
    id 149
    label "111"
  ]
  node
  [
    id 150
    label "112"
  ]
  node
  [
    id 151
    label "146"
  ]
  node
  [
    id 152
    label "225"
  ]
  node
  [
    id 153
    label "186"
  ]
  node
  [
    id 154
    label "226"
  ]
  node
  [
    id 155
    label "227"
  ]
  node
  [
    id 156
    label "228"
  ]
  node
  [
    id 157
    label "229"
  ]
  node
  [
    id 158
    label "230"
  ]
  node
  [
    id 159
    label "150"
  ]
  node
  [
    id 160
    label "234"
  ]
  node
  [
    id 161
    label "235"
  ]
  node
  [
    id 162
    label "236"
  ]
  node
  [
    id 163
    label "237"
  ]
  node
  [
    id 164
    label "238"
  ]
  node
  [
    id 165
    label "239"
  ]
  node
  [
    id 166
    label "187"
  ]
  node
  [
    id 167
    label "188"
  ]
  node
  [
    id 168
    label "240"
  ]
  node
  [
    id 169
    label "242"
  ]
  node
  [
    id 170
    label "203"
  ]
  node
  [
    id 171
    label "179"
  ]
  node
  [
    id 172
    label "217"
  ]
  node
  [
    id 173
    label "162"
  ]
  node
  [
    id 174
    label "164"
  ]
  node
  [
    id 175
    label "249"
  ]
  node
  [
    id 176
    label "250"
  ]
  node
  [
    id 177
    label "195"
  ]
  node
  [
    id 178
    label "251"
  ]
  node
  [
    id 179
    label "252"
  ]
  node
  [
    id 180
    label "253"
  ]
  node
  [
    id 181
    label "254"
  ]
  node
  [
    id 182
    label "255"
  ]
  node
  [
    id 183
    label "197"
  ]
  node
  [
    id 184
    label "204"
  ]
  node
  [
    id 185
    label "180"
  ]
  node
  [
    id 186
    label "163"
  ]
  node
  [
    id 187
    label "117"
  ]
  node
  [
    id 188
    label "256"
  ]
  node
  [
    id 189
    label "276"
  ]
  node
  [
    id 190
    label "306"
  ]
  node
  [
    id 191
    label "177"
  ]
  node
  [
    id 192
    label "241"
  ]
  node
  [
    id 193
    label "200"
  ]
  node
  [
    id 194
    label "215"
  ]
  node
  [
    id 195
    label "199"
  ]
  node
  [
    id 196
    label "165"
  ]
  node
  [
    id 197
    label "169"
  ]
  node
  [
    id 198
    label "79"
  ]
  node
  [
    id 199
    label "148"
  ]
  node
  [
    id 200
    label "168"
  ]
  node
  [
    id 201
    label "145"
  ]
  node
  [
    id 202
    label "147"
  ]
  node
  [
    id 203
    label "192"
  ]
  node
  [
    id 204
    label "219"
  ]
  node
  [
    id 205
    label "157"
  ]
  node
  [
    id 206
    label "172"
  ]
  node
  [
    id 207
    label "218"
  ]
  node
  [
    id 208
    label "83"
  ]
  node
  [
    id 209
    label "98"
  ]
  node
  [
    id 210
    label "124"
  ]
  node
  [
    id 211
    label "103"
  ]
  node
  [
    id 212
    label "104"
  ]
  node
  [
    id 213
    label "115"
  ]
  node
  [
    id 214
    label "123"
  ]
  node
  [
    id 215
    label "156"
  ]
  node
  [
    id 216
    label "170"
  ]
  node
  [
    id 217
    label "183"
  ]
  node
  [
    id 218
    label "116"
  ]
  node
  [
    id 219
    label "153"
  ]
  node
  [
    id 220
    label "224"
  ]
  node
  [
    id 221
    label "196"
  ]
  node
  [
    id 222
    label "214"
  ]
  node
  [
    id 223
    label "213"
  ]
  node
  [
    id 224
    label "155"
  ]
  node
  [
    id 225
    label "173"
  ]
  node
  [
    id 226
    label "149"
  ]
  node
  [
    id 227
    label "275"
  ]
  node
  [
    id 228
    label "205"
  ]
  node
  [
    id 229
    label "206"
  ]
  node
  [
    id 230
    label "151"
  ]
  node
  [
    id 231
    label "277"
  ]
  node
  [
    id 232
    label "152"
  ]
  node
  [
    id 233
    label "245"
  ]
  node
  [
    id 234
    label "278"
  ]
  node
  [
    id 235
    label "201"
  ]
  node
  [
    id 236
    label "202"
  ]
  node
  [
    id 237
    label "167"
  ]
  node
  [
    id 238
    label "269"
  ]
  node
  [
    id 239
    label "184"
  ]
  node
  [
    id 240
    label "171"
  ]
  node
  [
    id 241
    label "185"
  ]
  node
  [
    id 242
    label "175"
  ]
  node
  [
    id 243
    label "176"
  ]
  node
  [
    id 244
    label "272"
  ]
  node
  [
    id 245
    label "270"
  ]
  node
  [
    id 246
    label "258"
  ]
  node
  [
    id 247
    label "181"
  ]
  node
  [
    id 248
    label "182"
  ]
  node
  [
    id 249
    label "274"
  ]
  node
  [
    id 250
    label "190"
  ]
  node
  [
    id 251
    label "191"
  ]
  node
  [
    id 252
    label "194"
  ]
  node
  [
    id 253
    label "244"
  ]
  node
  [
    id 254
    label "260"
  ]
  node
  [
    id 255
    label "207"
  ]
  node
  [
    id 256
    label "223"
  ]
  node
  [
    id 257
    label "208"
  ]
  node
  [
    id 258
    label "209"
  ]
  node
  [
    id 259
    label "210"
  ]
  node
  [
    id 260
    label "211"
  ]
  node
  [
    id 261
    label "212"
  ]
  node
  [
    id 262
    label "261"
  ]
  node
  [
    id 263
    label "262"
  ]
  node
  [
    id 264
    label "263"
  ]
  node
  [
    id 265
    label "264"
  ]
  node
  [
    id 266
    label "265"
  ]
  node
  [
    id 267
    label "266"
  ]
  node
  [
    id 268
    label "282"
  ]
  node
  [
    id 269
    label "279"
  ]
  node
  [
    id 270
    label "231"
  ]
  node
  [
    id 271
    label "280"
  ]
  node
  [
    id 272
    label "232"
  ]
  node
  [
    id 273
    label "281"
  ]
  node
  [
    id 274
    label "233"
  ]
  node
  [
    id 275
    label "246"
  ]
  node
  [
    id 276
    label "247"
  ]
  node
  [
    id 277
    label "248"
  ]
  node
  [
    id 278
    label "243"
  ]
  node
  [
    id 279
    label "257"
  ]
  node
  [
    id 280
    label "259"
  ]
  node
  [
    id 281
    label "267"
  ]
  node
  [
    id 282
    label "268"
  ]
  node
  [
    id 283
    label "271"
  ]
  node
  [
    id 284
    label "273"
  ]
  node
  [
    id 285
    label "291"
  ]
  node
  [
    id 286
    label "292"
  ]
  node
  [
    id 287
    label "293"
  ]
  node
  [
    id 288
    label "294"
  ]
  node
  [
    id 289
    label "295"
  ]
  node
  [
    id 290
    label "296"
  ]
  node
  [
    id 291
    label "297"
  ]
  node
  [
    id 292
    label "298"
  ]
  node
  [
    id 293
    label "299"
  ]
  node
  [
    id 294
    label "300"
  ]
  node
  [
    id 295
    label "301"
  ]
  node
  [
    id 296
    label "302"
  ]
  edge
  [
    source 0
    target 1
    value 1
  ]
  edge
  [
    source 0
    target 2
    value 2
  ]
  edge
  [
    source 0
    target 3
    value 1
  ]
  edge
  [
    source 0
    target 4
    value 2
  ]
  edge
  [
    source 0
    target 5
    value 1
  ]
  edge
  [
    source 0
    target 6
    value 6
  ]
  edge
  [
    source 0
    target 7
    value 6
  ]
  edge
  [
    source 0
    target 8
    value 1
  ]
  edge
  [
    source 0
    target 9
    value 4
  ]
  edge
  [
    source 1
    target 10
    value 1
  ]
  edge
  [
    source 1
    target 115
    value 1
  ]
  edge
  [
    source 1
    target 12
    value 2
  ]
  edge
  [
    source 1
    target 84
    value 3
  ]
  edge
  [
    source 1
    target 129
    value 1
  ]
  edge
  [
    source 1
    target 7
    value 2
  ]
  edge
  [
    source 1
    target 130
    value 12
  ]
  edge
  [
    source 1
    target 131
    value 1
  ]
  edge
  [
    source 1
    target 72
    value 2
  ]
  edge
  [
    source 1
    target 74
    value 1
  ]
  edge
  [
    source 2
    target 67
    value 1
  ]
  edge
  [
    source 2
    target 151
    value 1
  ]
  edge
  [
    source 2
    target 152
    value 4
  ]
  edge
  [
    source 2
    target 153
    value 9
  ]
  edge
  [
    source 2
    target 154
    value 3
  ]
  edge
  [
    source 2
    target 155
    value 2
  ]
  edge
  [
    source 2
    target 156
    value 2
  ]
  edge
  [
    source 2
    target 157
    value 4
  ]
  edge
  [
    source 2
    target 158
    value 2
  ]
  edge
  [
    source 2
    target 12
    value 3
  ]
  edge
  [
    source 2
    target 86
    value 2
  ]
  edge
  [
    source 2
    target 118
    value 2
  ]
  edge
  [
    source 2
    target 4
    value 4
  ]
  edge
  [
    source 2
    target 159
    value 4
  ]
  edge
  [
    source 2
    target 160
    value 4
  ]
  edge
  [
    source 2
    target 161
    value 9
  ]
  edge
  [
    source 2
    target 162
    value 12
  ]
  edge
  [
    source 2
    target 163
    value 9
  ]
  edge
  [
    source 2
    target 164
    value 2
  ]
  edge
  [
    source 2
    target 165
    value 7
  ]
  edge
  [
    source 2
    target 166
    value 14
  ]
  edge
  [
    source 2
    target 167
    value 5
  ]
  edge
  [
    source 2
    target 168
    value 2
  ]
  edge
  [
    source 2
    target 169
    value 2
  ]
  edge
  [
    source 2
    target 184
    value 5
  ]
  edge
  [
    source 2
    target 185
    value 2
  ]
  edge
  [
    source 2
    target 125
    value 28
  ]
  edge
  [
    source 2
    target 8
    value 1
  ]
  edge
  [
    source 2
    target 173
    value 1
  ]
  edge
  [
    source 2
    target 186
    value 2
  ]
  edge
  [
    source 2
    target 175
    value 10
  ]
  edge
  [
    source 2
    target 176
    value 14
  ]
  edge
  [
    source 2
    target 177
    value 2
  ]
  edge
  [
    source 2
    target 178
    value 3
  ]
  edge
  [
    source 2
    target 179
    value 4
  ]
  edge
  [
    source 2
    target 180
    value 4
  ]
  edge
  [
    source 2
    target 181
    value 6
  ]
  edge
  [
    source 2
    target 182
    value 4
  ]
  edge
  [
    source 2
    target 183
    value 2
  ]
  edge
  [
    source 3
    target 151
    value 5
  ]
  edge
  [
    source 3
    target 154
    value 2
  ]
  edge
  [
    source 3
    target 155
    value 1
  ]
  edge
  [
    source 3
    target 12
    value 44
  ]
  edge
  [
    source 3
    target 117
    value 1
  ]
  edge
  [
    source 3
    target 159
    value 12
  ]
  edge
  [
    source 3
    target 160
    value 6
  ]
  edge
  [
    source 3
    target 161
    value 4
  ]
  edge
  [
    source 3
    target 162
    value 1
  ]
  edge
  [
    source 3
    target 168
    value 2
  ]
  edge
  [
    source 3
    target 195
    value 1
  ]
  edge
  [
    source 3
    target 125
    value 1
  ]
  edge
  [
    source 3
    target 173
    value 8
  ]
  edge
  [
    source 3
    target 186
    value 17
  ]
  edge
  [
    source 3
    target 196
    value 6
  ]
  edge
  [
    source 3
    target 178
    value 2
  ]
  edge
  [
    source 3
    target 179
    value 5
  ]
  edge
  [
    source 3
    target 180
    value 1
  ]
  edge
  [
    source 3
    target 182
    value 1
  ]
  edge
  [
    source 3
    target 197
    value 1
  ]
  edge
  [
    source 3
    target 189
    value 1
  ]
  edge
  [
    source 4
    target 151
    value 5
  ]
  edge
  [
    source 4
    target 154
    value 2
  ]
  edge
  [
    source 4
    target 155
    value 1
  ]
  edge
  [
    source 4
    target 2
    value 44
  ]
  edge
  [
    source 4
    target 118
    value 1
  ]
  edge
  [
    source 4
    target 159
    value 12
  ]
  edge
  [
    source 4
    target 160
    value 6
  ]
  edge
  [
    source 4
    target 161
    value 4
  ]
  edge
  [
    source 4
    target 162
    value 1
  ]
  edge
  [
    source 4
    target 168
    value 2
  ]
  edge
  [
    source 4
    target 195
    value 1
  ]
  edge
  [
    source 4
    target 172
    value 1
  ]
  edge
  [
    source 4
    target 173
    value 8
  ]
  edge
  [
    source 4
    target 174
    value 17
  ]
  edge
  [
    source 4
    target 196
    value 6
  ]
  edge
  [
    source 4
    target 178
    value 2
  ]
  edge
  [
    source 4
    target 179
    value 5
  ]
  edge
  [
    source 4
    target 180
    value 1
  ]
  edge
  [
    source 4
    target 182
    value 1
  ]
  edge
  [
    source 4
    target 197
    value 1
  ]
  edge
  [
    source 4
    target 189
    value 1
  ]
  edge
  [
    source 5
    target 10
    value 1
  ]
  edge
  [
    source 5
    target 11
    value 1
  ]
  edge
  [
    source 5
    target 12
    value 3
  ]
  edge
  [
    source 5
    target 3
    value 4
  ]
  edge
  [
    source 5
    target 13
    value 4
  ]
  edge
  [
    source 5
    target 14
    value 4
  ]
  edge
  [
    source 5
    target 8
    value 7
  ]
  edge
  [
    source 6
    target 27
    value 1
  ]
  edge
  [
    source 6
    target 50
    value 1
  ]
  edge
  [
    source 6
    target 34
    value 2
  ]
  edge
  [
    source 6
    target 23
    value 12
  ]
  edge
  [
    source 6
    target 35
    value 8
  ]
  edge
  [
    source 6
    target 47
    value 5
  ]
  edge
  [
    source 6
    target 48
    value 7
  ]
  edge
  [
    source 6
    target 43
    value 4
  ]
  edge
  [
    source 6
    target 46
    value 9
  ]
  edge
  [
    source 6
    target 72
    value 1
  ]
  edge
  [
    source 6
    target 88
    value 1
  ]
  edge
  [
    source 6
    target 94
    value 1
  ]
  edge
  [
    source 6
    target 25
    value 1
  ]
  edge
  [
    source 6
    target 73
    value 6
  ]
  edge
  [
    source 6
    target 74
    value 10
  ]
  edge
  [
    source 6
    target 77
    value 13
  ]
  edge
  [
    source 6
    target 75
    value 7
  ]
  edge
  [
    source 7
    target 1
    value 1
  ]
  edge
  [
    source 7
    target 2
    value 2
  ]
  edge
  [
    source 7
    target 3
    value 4
  ]
  edge
  [
    source 7
    target 6
    value 2
  ]
  edge
  [
    source 7
    target 59
    value 1
  ]
  edge
  [
    source 7
    target 73
    value 1
  ]
  edge
  [
    source 8
    target 102
    value 2
  ]
  edge
  [
    source 8
    target 108
    value 1
  ]
  edge
  [
    source 8
    target 235
    value 1
  ]
  edge
  [
    source 8
    target 3
    value 1
  ]
  edge
  [
    source 8
    target 4
    value 2
  ]
  edge
  [
    source 8
    target 213
    value 1
  ]
  edge
  [
    source 8
    target 5
    value 2
  ]
  edge
  [
    source 8
    target 193
    value 1
  ]
  edge
  [
    source 8
    target 14
    value 1
  ]
  edge
  [
    source 8
    target 103
    value 2
  ]
  edge
  [
    source 8
    target 214
    value 1
  ]
  edge
  [
    source 8
    target 36
    value 3
  ]
  edge
  [
    source 9
    target 108
    value 2
  ]
  edge
  [
    source 9
    target 236
    value 1
  ]
  edge
  [
    source 9
    target 4
    value 2
  ]
  edge
  [
    source 9
    target 213
    value 4
  ]
  edge
  [
    source 9
    target 218
    value 1
  ]
  edge
  [
    source 9
    target 5
    value 1
  ]
  edge
  [
    source 9
    target 7
    value 1
  ]
  edge
  [
    source 9
    target 103
    value 1
  ]
  edge
  [
    source 9
    target 24
    value 4
  ]
  edge
  [
    source 10
    target 102
    value 13
  ]
  edge
  [
    source 10
    target 208
    value 3
  ]
  edge
  [
    source 10
    target 138
    value 1
  ]
  edge
  [
    source 10
    target 124
    value 1
  ]
  edge
  [
    source 10
    target 142
    value 1
  ]
  edge
  [
    source 10
    target 13
    value 5
  ]
  edge
  [
    source 10
    target 14
    value 5
  ]
  edge
  [
    source 11
    target 12
    value 2
  ]
  edge
  [
    source 11
    target 118
    value 1
  ]
  edge
  [
    source 11
    target 3
    value 4
  ]
  edge
  [
    source 11
    target 13
    value 6
  ]
  edge
  [
    source 11
    target 14
    value 9
  ]
  edge
  [
    source 12
    target 16
    value 1
  ]
  edge
  [
    source 12
    target 151
    value 1
  ]
  edge
  [
    source 12
    target 152
    value 4
  ]
  edge
  [
    source 12
    target 153
    value 9
  ]
  edge
  [
    source 12
    target 154
    value 3
  ]
  edge
  [
    source 12
    target 155
    value 2
  ]
  edge
  [
    source 12
    target 156
    value 2
  ]
  edge
  [
    source 12
    target 157
    value 4
  ]
  edge
  [
    source 12
    target 158
    value 2
  ]
  edge
  [
    source 12
    target 2
    value 3
  ]
  edge
  [
    source 12
    target 84
    value 2
  ]
  edge
  [
    source 12
    target 117
    value 2
  ]
  edge
  [
    source 12
    target 3
    value 4
  ]
  edge
  [
    source 12
    target 159
    value 4
  ]
  edge
  [
    source 12
    target 160
    value 4
  ]
  edge
  [
    source 12
    target 161
    value 9
  ]
  edge
  [
    source 12
    target 162
    value 12
  ]
  edge
  [
    source 12
    target 163
    value 9
  ]
  edge
  [
    source 12
    target 164
    value 2
  ]
  edge
  [
    source 12
    target 165
    value 7
  ]
  edge
  [
    source 12
    target 166
    value 14
  ]
  edge
  [
    source 12
    target 167
    value 5
  ]
  edge
  [
    source 12
    target 168
    value 1
  ]
  edge
  [
    source 12
    target 168
    value 2
  ]
  edge
  [
    source 12
    target 169
    value 2
  ]
  edge
  [
    source 12
    target 170
    value 5
  ]
  edge
  [
    source 12
    target 171
    value 2
  ]
  edge
  [
    source 12
    target 172
    value 28
  ]
  edge
  [
    source 12
    target 173
    value 1
  ]
  edge
  [
    source 12
    target 174
    value 2
  ]
  edge
  [
    source 12
    target 175
    value 10
  ]
  edge
  [
    source 12
    target 176
    value 14
  ]
  edge
  [
    source 12
    target 177
    value 2
  ]
  edge
  [
    source 12
    target 178
    value 3
  ]
  edge
  [
    source 12
    target 179
    value 4
  ]
  edge
  [
    source 12
    target 180
    value 4
  ]
  edge
  [
    source 12
    target 181
    value 6
  ]
  edge
  [
    source 12
    target 182
    value 4
  ]
  edge
  [
    source 12
    target 183
    value 2
  ]
  edge
  [
    source 13
    target 6
    value 1
  ]
  edge
  [
    source 13
    target 34
    value 2
  ]
  edge
  [
    source 13
    target 209
    value 3
  ]
  edge
  [
    source 13
    target 23
    value 10
  ]
  edge
  [
    source 13
    target 35
    value 6
  ]
  edge
  [
    source 13
    target 47
    value 6
  ]
  edge
  [
    source 13
    target 48
    value 5
  ]
  edge
  [
    source 13
    target 43
    value 7
  ]
  edge
  [
    source 13
    target 46
    value 10
  ]
  edge
  [
    source 13
    target 88
    value 1
  ]
  edge
  [
    source 13
    target 73
    value 9
  ]
  edge
  [
    source 13
    target 74
    value 8
  ]
  edge
  [
    source 13
    target 77
    value 3
  ]
  edge
  [
    source 13
    target 75
    value 12
  ]
  edge
  [
    source 14
    target 114
    value 1
  ]
  edge
  [
    source 14
    target 11
    value 1
  ]
  edge
  [
    source 14
    target 12
    value 1
  ]
  edge
  [
    source 14
    target 86
    value 1
  ]
  edge
  [
    source 14
    target 118
    value 1
  ]
  edge
  [
    source 14
    target 3
    value 2
  ]
  edge
  [
    source 14
    target 4
    value 5
  ]
  edge
  [
    source 14
    target 13
    value 3
  ]
  edge
  [
    source 14
    target 75
    value 2
  ]
  edge
  [
    source 15
    target 16
    value 1
  ]
  edge
  [
    source 15
    target 4
    value 3
  ]
  edge
  [
    source 15
    target 17
    value 2
  ]
  edge
  [
    source 15
    target 18
    value 4
  ]
  edge
  [
    source 15
    target 19
    value 5
  ]
  edge
  [
    source 15
    target 20
    value 6
  ]
  edge
  [
    source 15
    target 21
    value 4
  ]
  edge
  [
    source 15
    target 22
    value 1
  ]
  edge
  [
    source 15
    target 23
    value 3
  ]
  edge
  [
    source 15
    target 24
    value 1
  ]
  edge
  [
    source 15
    target 25
    value 2
  ]
  edge
  [
    source 15
    target 26
    value 2
  ]
  edge
  [
    source 16
    target 113
    value 5
  ]
  edge
  [
    source 16
    target 1
    value 6
  ]
  edge
  [
    source 16
    target 114
    value 1
  ]
  edge
  [
    source 16
    target 92
    value 1
  ]
  edge
  [
    source 16
    target 115
    value 3
  ]
  edge
  [
    source 16
    target 116
    value 2
  ]
  edge
  [
    source 16
    target 12
    value 2
  ]
  edge
  [
    source 16
    target 2
    value 4
  ]
  edge
  [
    source 16
    target 84
    value 1
  ]
  edge
  [
    source 16
    target 117
    value 1
  ]
  edge
  [
    source 16
    target 118
    value 4
  ]
  edge
  [
    source 16
    target 119
    value 1
  ]
  edge
  [
    source 16
    target 98
    value 2
  ]
  edge
  [
    source 16
    target 120
    value 2
  ]
  edge
  [
    source 16
    target 19
    value 1
  ]
  edge
  [
    source 16
    target 22
    value 1
  ]
  edge
  [
    source 16
    target 73
    value 2
  ]
  edge
  [
    source 17
    target 41
    value 1
  ]
  edge
  [
    source 17
    target 22
    value 7
  ]
  edge
  [
    source 17
    target 23
    value 11
  ]
  edge
  [
    source 17
    target 53
    value 1
  ]
  edge
  [
    source 17
    target 44
    value 10
  ]
  edge
  [
    source 18
    target 4
    value 19
  ]
  edge
  [
    source 18
    target 71
    value 2
  ]
  edge
  [
    source 18
    target 15
    value 2
  ]
  edge
  [
    source 18
    target 17
    value 1
  ]
  edge
  [
    source 18
    target 14
    value 7
  ]
  edge
  [
    source 18
    target 23
    value 7
  ]
  edge
  [
    source 18
    target 35
    value 1
  ]
  edge
  [
    source 18
    target 47
    value 2
  ]
  edge
  [
    source 18
    target 43
    value 1
  ]
  edge
  [
    source 18
    target 51
    value 2
  ]
  edge
  [
    source 18
    target 72
    value 1
  ]
  edge
  [
    source 18
    target 73
    value 3
  ]
  edge
  [
    source 18
    target 74
    value 4
  ]
  edge
  [
    source 18
    target 75
    value 4
  ]
  edge
  [
    source 18
    target 76
    value 1
  ]
  edge
  [
    source 19
    target 17
    value 2
  ]
  edge
  [
    source 19
    target 70
    value 1
  ]
  edge
  [
    source 19
    target 20
    value 1
  ]
  edge
  [
    source 19
    target 59
    value 2
  ]
  edge
  [
    source 19
    target 22
    value 2
  ]
  edge
  [
    source 19
    target 46
    value 4
  ]
  edge
  [
    source 19
    target 80
    value 3
  ]
  edge
  [
    source 20
    target 12
    value 5
  ]
  edge
  [
    source 20
    target 2
    value 6
  ]
  edge
  [
    source 20
    target 132
    value 1
  ]
  edge
  [
    source 20
    target 130
    value 2
  ]
  edge
  [
    source 20
    target 209
    value 1
  ]
  edge
  [
    source 20
    target 210
    value 1
  ]
  edge
  [
    source 20
    target 89
    value 2
  ]
  edge
  [
    source 20
    target 73
    value 3
  ]
  edge
  [
    source 20
    target 74
    value 4
  ]
  edge
  [
    source 20
    target 75
    value 1
  ]
  edge
  [
    source 21
    target 106
    value 1
  ]
  edge
  [
    source 21
    target 12
    value 5
  ]
  edge
  [
    source 21
    target 2
    value 3
  ]
  edge
  [
    source 21
    target 85
    value 1
  ]
  edge
  [
    source 21
    target 73
    value 2
  ]
  edge
  [
    source 21
    target 74
    value 3
  ]
  edge
  [
    source 21
    target 77
    value 2
  ]
  edge
  [
    source 21
    target 75
    value 1
  ]
  edge
  [
    source 22
    target 55
    value 2
  ]
  edge
  [
    source 23
    target 46
    value 7
  ]
  edge
  [
    source 23
    target 44
    value 8
  ]
  edge
  [
    source 24
    target 48
    value 1
  ]
  edge
  [
    source 24
    target 44
    value 8
  ]
  edge
  [
    source 25
    target 190
    value 1
  ]
  edge
  [
    source 26
    target 22
    value 3
  ]
  edge
  [
    source 26
    target 51
    value 1
  ]
  edge
  [
    source 26
    target 49
    value 1
  ]
  edge
  [
    source 26
    target 64
    value 2
  ]
  edge
  [
    source 26
    target 44
    value 9
  ]
  edge
  [
    source 27
    target 28
    value 1
  ]
  edge
  [
    source 27
    target 3
    value 4
  ]
  edge
  [
    source 27
    target 29
    value 2
  ]
  edge
  [
    source 27
    target 30
    value 1
  ]
  edge
  [
    source 27
    target 31
    value 5
  ]
  edge
  [
    source 27
    target 32
    value 3
  ]
  edge
  [
    source 27
    target 20
    value 2
  ]
  edge
  [
    source 27
    target 21
    value 4
  ]
  edge
  [
    source 27
    target 33
    value 1
  ]
  edge
  [
    source 27
    target 34
    value 1
  ]
  edge
  [
    source 27
    target 35
    value 2
  ]
  edge
  [
    source 27
    target 36
    value 2
  ]
  edge
  [
    source 27
    target 37
    value 2
  ]
  edge
  [
    source 27
    target 38
    value 1
  ]
  edge
  [
    source 27
    target 39
    value 1
  ]
  edge
  [
    source 28
    target 122
    value 10
  ]
  edge
  [
    source 28
    target 114
    value 2
  ]
  edge
  [
    source 29
    target 50
    value 1
  ]
  edge
  [
    source 29
    target 30
    value 1
  ]
  edge
  [
    source 29
    target 33
    value 8
  ]
  edge
  [
    source 29
    target 35
    value 11
  ]
  edge
  [
    source 29
    target 44
    value 10
  ]
  edge
  [
    source 30
    target 29
    value 5
  ]
  edge
  [
    source 30
    target 32
    value 2
  ]
  edge
  [
    source 30
    target 6
    value 2
  ]
  edge
  [
    source 30
    target 59
    value 4
  ]
  edge
  [
    source 30
    target 33
    value 14
  ]
  edge
  [
    source 30
    target 51
    value 3
  ]
  edge
  [
    source 30
    target 49
    value 2
  ]
  edge
  [
    source 30
    target 64
    value 3
  ]
  edge
  [
    source 30
    target 38
    value 3
  ]
  edge
  [
    source 30
    target 52
    value 1
  ]
  edge
  [
    source 31
    target 3
    value 14
  ]
  edge
  [
    source 31
    target 4
    value 1
  ]
  edge
  [
    source 31
    target 58
    value 2
  ]
  edge
  [
    source 31
    target 27
    value 6
  ]
  edge
  [
    source 31
    target 45
    value 3
  ]
  edge
  [
    source 31
    target 29
    value 1
  ]
  edge
  [
    source 31
    target 66
    value 1
  ]
  edge
  [
    source 31
    target 7
    value 10
  ]
  edge
  [
    source 31
    target 35
    value 10
  ]
  edge
  [
    source 31
    target 47
    value 2
  ]
  edge
  [
    source 31
    target 48
    value 1
  ]
  edge
  [
    source 31
    target 46
    value 3
  ]
  edge
  [
    source 31
    target 49
    value 2
  ]
  edge
  [
    source 31
    target 73
    value 1
  ]
  edge
  [
    source 31
    target 74
    value 1
  ]
  edge
  [
    source 31
    target 77
    value 3
  ]
  edge
  [
    source 31
    target 75
    value 3
  ]
  edge
  [
    source 32
    target 29
    value 1
  ]
  edge
  [
    source 32
    target 30
    value 1
  ]
  edge
  [
    source 32
    target 21
    value 1
  ]
  edge
  [
    source 32
    target 59
    value 1
  ]
  edge
  [
    source 32
    target 33
    value 1
  ]
  edge
  [
    source 32
    target 43
    value 3
  ]
  edge
  [
    source 32
    target 49
    value 1
  ]
  edge
  [
    source 32
    target 81
    value 3
  ]
  edge
  [
    source 33
    target 68
    value 2
  ]
  edge
  [
    source 34
    target 13
    value 1
  ]
  edge
  [
    source 34
    target 6
    value 1
  ]
  edge
  [
    source 34
    target 47
    value 2
  ]
  edge
  [
    source 34
    target 43
    value 1
  ]
  edge
  [
    source 34
    target 72
    value 3
  ]
  edge
  [
    source 34
    target 37
    value 3
  ]
  edge
  [
    source 34
    target 112
    value 1
  ]
  edge
  [
    source 34
    target 74
    value 1
  ]
  edge
  [
    source 34
    target 44
    value 4
  ]
  edge
  [
    source 35
    target 43
    value 10
  ]
  edge
  [
    source 35
    target 44
    value 10
  ]
  edge
  [
    source 36
    target 49
    value 1
  ]
  edge
  [
    source 36
    target 93
    value 1
  ]
  edge
  [
    source 36
    target 44
    value 7
  ]
  edge
  [
    source 37
    target 190
    value 1
  ]
  edge
  [
    source 38
    target 50
    value 1
  ]
  edge
  [
    source 38
    target 33
    value 4
  ]
  edge
  [
    source 38
    target 43
    value 1
  ]
  edge
  [
    source 38
    target 49
    value 2
  ]
  edge
  [
    source 38
    target 64
    value 2
  ]
  edge
  [
    source 38
    target 44
    value 9
  ]
  edge
  [
    source 40
    target 41
    value 1
  ]
  edge
  [
    source 40
    target 42
    value 1
  ]
  edge
  [
    source 40
    target 22
    value 3
  ]
  edge
  [
    source 40
    target 43
    value 6
  ]
  edge
  [
    source 40
    target 44
    value 4
  ]
  edge
  [
    source 41
    target 4
    value 2
  ]
  edge
  [
    source 41
    target 40
    value 1
  ]
  edge
  [
    source 41
    target 23
    value 3
  ]
  edge
  [
    source 41
    target 47
    value 1
  ]
  edge
  [
    source 41
    target 48
    value 3
  ]
  edge
  [
    source 41
    target 43
    value 4
  ]
  edge
  [
    source 41
    target 46
    value 2
  ]
  edge
  [
    source 41
    target 49
    value 1
  ]
  edge
  [
    source 41
    target 44
    value 10
  ]
  edge
  [
    source 42
    target 84
    value 4
  ]
  edge
  [
    source 42
    target 86
    value 3
  ]
  edge
  [
    source 42
    target 119
    value 2
  ]
  edge
  [
    source 42
    target 98
    value 2
  ]
  edge
  [
    source 42
    target 218
    value 1
  ]
  edge
  [
    source 42
    target 167
    value 1
  ]
  edge
  [
    source 42
    target 232
    value 1
  ]
  edge
  [
    source 42
    target 168
    value 1
  ]
  edge
  [
    source 42
    target 137
    value 1
  ]
  edge
  [
    source 42
    target 40
    value 1
  ]
  edge
  [
    source 42
    target 45
    value 1
  ]
  edge
  [
    source 42
    target 17
    value 1
  ]
  edge
  [
    source 42
    target 29
    value 1
  ]
  edge
  [
    source 42
    target 185
    value 1
  ]
  edge
  [
    source 42
    target 172
    value 1
  ]
  edge
  [
    source 42
    target 22
    value 4
  ]
  edge
  [
    source 42
    target 33
    value 3
  ]
  edge
  [
    source 42
    target 173
    value 1
  ]
  edge
  [
    source 43
    target 6
    value 1
  ]
  edge
  [
    source 43
    target 23
    value 1
  ]
  edge
  [
    source 43
    target 35
    value 6
  ]
  edge
  [
    source 43
    target 44
    value 7
  ]
  edge
  [
    source 45
    target 33
    value 7
  ]
  edge
  [
    source 45
    target 46
    value 8
  ]
  edge
  [
    source 45
    target 44
    value 8
  ]
  edge
  [
    source 46
    target 23
    value 10
  ]
  edge
  [
    source 46
    target 79
    value 1
  ]
  edge
  [
    source 46
    target 44
    value 9
  ]
  edge
  [
    source 47
    target 31
    value 1
  ]
  edge
  [
    source 47
    target 13
    value 5
  ]
  edge
  [
    source 47
    target 6
    value 3
  ]
  edge
  [
    source 47
    target 35
    value 1
  ]
  edge
  [
    source 47
    target 48
    value 2
  ]
  edge
  [
    source 47
    target 214
    value 1
  ]
  edge
  [
    source 47
    target 44
    value 11
  ]
  edge
  [
    source 48
    target 213
    value 1
  ]
  edge
  [
    source 48
    target 13
    value 5
  ]
  edge
  [
    source 48
    target 6
    value 7
  ]
  edge
  [
    source 48
    target 23
    value 1
  ]
  edge
  [
    source 48
    target 47
    value 1
  ]
  edge
  [
    source 48
    target 44
    value 4
  ]
  edge
  [
    source 49
    target 44
    value 14
  ]
  edge
  [
    source 50
    target 3
    value 1
  ]
  edge
  [
    source 50
    target 45
    value 1
  ]
  edge
  [
    source 50
    target 23
    value 3
  ]
  edge
  [
    source 50
    target 35
    value 4
  ]
  edge
  [
    source 50
    target 47
    value 4
  ]
  edge
  [
    source 50
    target 48
    value 1
  ]
  edge
  [
    source 50
    target 43
    value 1
  ]
  edge
  [
    source 50
    target 46
    value 4
  ]
  edge
  [
    source 50
    target 51
    value 2
  ]
  edge
  [
    source 50
    target 52
    value 1
  ]
  edge
  [
    source 50
    target 44
    value 12
  ]
  edge
  [
    source 51
    target 44
    value 11
  ]
  edge
  [
    source 52
    target 99
    value 4
  ]
  edge
  [
    source 52
    target 84
    value 1
  ]
  edge
  [
    source 52
    target 86
    value 1
  ]
  edge
  [
    source 52
    target 4
    value 1
  ]
  edge
  [
    source 52
    target 32
    value 1
  ]
  edge
  [
    source 52
    target 6
    value 4
  ]
  edge
  [
    source 52
    target 21
    value 1
  ]
  edge
  [
    source 52
    target 9
    value 2
  ]
  edge
  [
    source 52
    target 33
    value 3
  ]
  edge
  [
    source 52
    target 48
    value 1
  ]
  edge
  [
    source 52
    target 37
    value 1
  ]
  edge
  [
    source 53
    target 86
    value 1
  ]
  edge
  [
    source 53
    target 4
    value 5
  ]
  edge
  [
    source 53
    target 17
    value 1
  ]
  edge
  [
    source 53
    target 13
    value 1
  ]
  edge
  [
    source 53
    target 14
    value 2
  ]
  edge
  [
    source 53
    target 59
    value 1
  ]
  edge
  [
    source 53
    target 90
    value 1
  ]
  edge
  [
    source 53
    target 23
    value 4
  ]
  edge
  [
    source 53
    target 46
    value 2
  ]
  edge
  [
    source 53
    target 78
    value 1
  ]
  edge
  [
    source 53
    target 75
    value 4
  ]
  edge
  [
    source 54
    target 11
    value 1
  ]
  edge
  [
    source 54
    target 40
    value 7
  ]
  edge
  [
    source 54
    target 55
    value 2
  ]
  edge
  [
    source 54
    target 14
    value 1
  ]
  edge
  [
    source 54
    target 22
    value 9
  ]
  edge
  [
    source 54
    target 51
    value 4
  ]
  edge
  [
    source 54
    target 49
    value 4
  ]
  edge
  [
    source 54
    target 56
    value 3
  ]
  edge
  [
    source 55
    target 21
    value 1
  ]
  edge
  [
    source 55
    target 35
    value 4
  ]
  edge
  [
    source 55
    target 78
    value 3
  ]
  edge
  [
    source 56
    target 40
    value 2
  ]
  edge
  [
    source 56
    target 22
    value 3
  ]
  edge
  [
    source 56
    target 35
    value 1
  ]
  edge
  [
    source 56
    target 51
    value 1
  ]
  edge
  [
    source 56
    target 44
    value 6
  ]
  edge
  [
    source 57
    target 58
    value 1
  ]
  edge
  [
    source 57
    target 45
    value 7
  ]
  edge
  [
    source 57
    target 21
    value 1
  ]
  edge
  [
    source 57
    target 59
    value 1
  ]
  edge
  [
    source 57
    target 33
    value 12
  ]
  edge
  [
    source 57
    target 60
    value 1
  ]
  edge
  [
    source 57
    target 51
    value 3
  ]
  edge
  [
    source 57
    target 49
    value 2
  ]
  edge
  [
    source 57
    target 61
    value 3
  ]
  edge
  [
    source 58
    target 3
    value 5
  ]
  edge
  [
    source 58
    target 95
    value 1
  ]
  edge
  [
    source 58
    target 45
    value 5
  ]
  edge
  [
    source 58
    target 50
    value 1
  ]
  edge
  [
    source 58
    target 31
    value 6
  ]
  edge
  [
    source 58
    target 68
    value 5
  ]
  edge
  [
    source 58
    target 7
    value 1
  ]
  edge
  [
    source 58
    target 20
    value 4
  ]
  edge
  [
    source 58
    target 21
    value 2
  ]
  edge
  [
    source 58
    target 23
    value 1
  ]
  edge
  [
    source 58
    target 46
    value 2
  ]
  edge
  [
    source 58
    target 87
    value 1
  ]
  edge
  [
    source 58
    target 24
    value 4
  ]
  edge
  [
    source 58
    target 88
    value 1
  ]
  edge
  [
    source 58
    target 85
    value 1
  ]
  edge
  [
    source 58
    target 61
    value 1
  ]
  edge
  [
    source 58
    target 69
    value 2
  ]
  edge
  [
    source 58
    target 82
    value 1
  ]
  edge
  [
    source 59
    target 105
    value 1
  ]
  edge
  [
    source 59
    target 102
    value 5
  ]
  edge
  [
    source 59
    target 108
    value 4
  ]
  edge
  [
    source 59
    target 99
    value 1
  ]
  edge
  [
    source 59
    target 5
    value 1
  ]
  edge
  [
    source 59
    target 71
    value 1
  ]
  edge
  [
    source 59
    target 58
    value 1
  ]
  edge
  [
    source 59
    target 15
    value 1
  ]
  edge
  [
    source 59
    target 27
    value 2
  ]
  edge
  [
    source 59
    target 66
    value 1
  ]
  edge
  [
    source 59
    target 55
    value 3
  ]
  edge
  [
    source 59
    target 68
    value 3
  ]
  edge
  [
    source 59
    target 19
    value 3
  ]
  edge
  [
    source 59
    target 32
    value 7
  ]
  edge
  [
    source 59
    target 13
    value 12
  ]
  edge
  [
    source 59
    target 6
    value 9
  ]
  edge
  [
    source 59
    target 14
    value 5
  ]
  edge
  [
    source 59
    target 7
    value 4
  ]
  edge
  [
    source 59
    target 22
    value 5
  ]
  edge
  [
    source 59
    target 33
    value 5
  ]
  edge
  [
    source 59
    target 49
    value 1
  ]
  edge
  [
    source 59
    target 64
    value 1
  ]
  edge
  [
    source 59
    target 91
    value 1
  ]
  edge
  [
    source 59
    target 39
    value 1
  ]
  edge
  [
    source 60
    target 14
    value 1
  ]
  edge
  [
    source 60
    target 7
    value 1
  ]
  edge
  [
    source 60
    target 44
    value 10
  ]
  edge
  [
    source 61
    target 33
    value 3
  ]
  edge
  [
    source 61
    target 46
    value 1
  ]
  edge
  [
    source 61
    target 60
    value 1
  ]
  edge
  [
    source 61
    target 49
    value 1
  ]
  edge
  [
    source 61
    target 82
    value 1
  ]
  edge
  [
    source 61
    target 44
    value 6
  ]
  edge
  [
    source 62
    target 63
    value 2
  ]
  edge
  [
    source 62
    target 3
    value 1
  ]
  edge
  [
    source 62
    target 41
    value 1
  ]
  edge
  [
    source 62
    target 55
    value 6
  ]
  edge
  [
    source 62
    target 19
    value 8
  ]
  edge
  [
    source 62
    target 20
    value 1
  ]
  edge
  [
    source 62
    target 59
    value 9
  ]
  edge
  [
    source 62
    target 47
    value 3
  ]
  edge
  [
    source 62
    target 48
    value 1
  ]
  edge
  [
    source 62
    target 49
    value 2
  ]
  edge
  [
    source 62
    target 64
    value 2
  ]
  edge
  [
    source 62
    target 65
    value 2
  ]
  edge
  [
    source 63
    target 101
    value 1
  ]
  edge
  [
    source 63
    target 12
    value 2
  ]
  edge
  [
    source 63
    target 2
    value 3
  ]
  edge
  [
    source 63
    target 3
    value 1
  ]
  edge
  [
    source 63
    target 225
    value 1
  ]
  edge
  [
    source 63
    target 71
    value 1
  ]
  edge
  [
    source 63
    target 129
    value 2
  ]
  edge
  [
    source 63
    target 41
    value 1
  ]
  edge
  [
    source 63
    target 62
    value 2
  ]
  edge
  [
    source 63
    target 18
    value 2
  ]
  edge
  [
    source 63
    target 13
    value 1
  ]
  edge
  [
    source 63
    target 215
    value 1
  ]
  edge
  [
    source 63
    target 8
    value 5
  ]
  edge
  [
    source 63
    target 9
    value 6
  ]
  edge
  [
    source 63
    target 59
    value 2
  ]
  edge
  [
    source 63
    target 34
    value 1
  ]
  edge
  [
    source 63
    target 209
    value 1
  ]
  edge
  [
    source 63
    target 47
    value 2
  ]
  edge
  [
    source 63
    target 93
    value 3
  ]
  edge
  [
    source 63
    target 24
    value 1
  ]
  edge
  [
    source 63
    target 94
    value 1
  ]
  edge
  [
    source 63
    target 81
    value 1
  ]
  edge
  [
    source 63
    target 85
    value 1
  ]
  edge
  [
    source 63
    target 83
    value 1
  ]
  edge
  [
    source 64
    target 74
    value 1
  ]
  edge
  [
    source 64
    target 44
    value 5
  ]
  edge
  [
    source 65
    target 11
    value 7
  ]
  edge
  [
    source 65
    target 84
    value 2
  ]
  edge
  [
    source 65
    target 3
    value 3
  ]
  edge
  [
    source 65
    target 98
    value 2
  ]
  edge
  [
    source 65
    target 13
    value 8
  ]
  edge
  [
    source 65
    target 20
    value 1
  ]
  edge
  [
    source 65
    target 8
    value 2
  ]
  edge
  [
    source 66
    target 67
    value 2
  ]
  edge
  [
    source 66
    target 50
    value 1
  ]
  edge
  [
    source 66
    target 31
    value 2
  ]
  edge
  [
    source 66
    target 68
    value 1
  ]
  edge
  [
    source 66
    target 32
    value 7
  ]
  edge
  [
    source 66
    target 59
    value 5
  ]
  edge
  [
    source 66
    target 47
    value 1
  ]
  edge
  [
    source 66
    target 51
    value 2
  ]
  edge
  [
    source 66
    target 64
    value 1
  ]
  edge
  [
    source 66
    target 38
    value 1
  ]
  edge
  [
    source 66
    target 69
    value 1
  ]
  edge
  [
    source 67
    target 106
    value 1
  ]
  edge
  [
    source 67
    target 63
    value 2
  ]
  edge
  [
    source 67
    target 12
    value 5
  ]
  edge
  [
    source 67
    target 2
    value 1
  ]
  edge
  [
    source 67
    target 118
    value 1
  ]
  edge
  [
    source 67
    target 4
    value 1
  ]
  edge
  [
    source 67
    target 98
    value 1
  ]
  edge
  [
    source 67
    target 218
    value 1
  ]
  edge
  [
    source 67
    target 58
    value 1
  ]
  edge
  [
    source 67
    target 129
    value 1
  ]
  edge
  [
    source 67
    target 224
    value 2
  ]
  edge
  [
    source 67
    target 31
    value 2
  ]
  edge
  [
    source 67
    target 8
    value 7
  ]
  edge
  [
    source 67
    target 9
    value 4
  ]
  edge
  [
    source 67
    target 59
    value 1
  ]
  edge
  [
    source 67
    target 48
    value 2
  ]
  edge
  [
    source 67
    target 87
    value 2
  ]
  edge
  [
    source 67
    target 212
    value 1
  ]
  edge
  [
    source 68
    target 20
    value 1
  ]
  edge
  [
    source 68
    target 21
    value 1
  ]
  edge
  [
    source 68
    target 23
    value 3
  ]
  edge
  [
    source 68
    target 36
    value 1
  ]
  edge
  [
    source 68
    target 79
    value 2
  ]
  edge
  [
    source 69
    target 86
    value 1
  ]
  edge
  [
    source 69
    target 58
    value 1
  ]
  edge
  [
    source 69
    target 50
    value 3
  ]
  edge
  [
    source 69
    target 66
    value 1
  ]
  edge
  [
    source 69
    target 21
    value 1
  ]
  edge
  [
    source 69
    target 47
    value 1
  ]
  edge
  [
    source 69
    target 48
    value 1
  ]
  edge
  [
    source 69
    target 87
    value 1
  ]
  edge
  [
    source 69
    target 88
    value 1
  ]
  edge
  [
    source 69
    target 37
    value 1
  ]
  edge
  [
    source 69
    target 89
    value 1
  ]
  edge
  [
    source 69
    target 52
    value 7
  ]
  edge
  [
    source 70
    target 5
    value 1
  ]
  edge
  [
    source 70
    target 17
    value 6
  ]
  edge
  [
    source 70
    target 19
    value 1
  ]
  edge
  [
    source 70
    target 13
    value 1
  ]
  edge
  [
    source 70
    target 59
    value 2
  ]
  edge
  [
    source 70
    target 22
    value 11
  ]
  edge
  [
    source 70
    target 51
    value 2
  ]
  edge
  [
    source 70
    target 49
    value 5
  ]
  edge
  [
    source 70
    target 64
    value 1
  ]
  edge
  [
    source 70
    target 26
    value 4
  ]
  edge
  [
    source 71
    target 4
    value 5
  ]
  edge
  [
    source 71
    target 40
    value 4
  ]
  edge
  [
    source 71
    target 41
    value 1
  ]
  edge
  [
    source 71
    target 18
    value 2
  ]
  edge
  [
    source 71
    target 55
    value 6
  ]
  edge
  [
    source 71
    target 14
    value 2
  ]
  edge
  [
    source 71
    target 20
    value 1
  ]
  edge
  [
    source 71
    target 21
    value 3
  ]
  edge
  [
    source 71
    target 22
    value 2
  ]
  edge
  [
    source 71
    target 90
    value 1
  ]
  edge
  [
    source 71
    target 43
    value 3
  ]
  edge
  [
    source 71
    target 93
    value 3
  ]
  edge
  [
    source 71
    target 36
    value 4
  ]
  edge
  [
    source 71
    target 94
    value 1
  ]
  edge
  [
    source 71
    target 89
    value 1
  ]
  edge
  [
    source 71
    target 56
    value 2
  ]
  edge
  [
    source 71
    target 83
    value 2
  ]
  edge
  [
    source 71
    target 76
    value 2
  ]
  edge
  [
    source 72
    target 114
    value 1
  ]
  edge
  [
    source 72
    target 2
    value 3
  ]
  edge
  [
    source 72
    target 18
    value 1
  ]
  edge
  [
    source 72
    target 132
    value 4
  ]
  edge
  [
    source 72
    target 130
    value 5
  ]
  edge
  [
    source 72
    target 214
    value 1
  ]
  edge
  [
    source 72
    target 93
    value 1
  ]
  edge
  [
    source 73
    target 13
    value 1
  ]
  edge
  [
    source 73
    target 6
    value 1
  ]
  edge
  [
    source 73
    target 75
    value 1
  ]
  edge
  [
    source 73
    target 44
    value 3
  ]
  edge
  [
    source 74
    target 13
    value 2
  ]
  edge
  [
    source 74
    target 6
    value 1
  ]
  edge
  [
    source 74
    target 44
    value 3
  ]
  edge
  [
    source 75
    target 13
    value 8
  ]
  edge
  [
    source 75
    target 6
    value 4
  ]
  edge
  [
    source 75
    target 209
    value 1
  ]
  edge
  [
    source 75
    target 23
    value 2
  ]
  edge
  [
    source 75
    target 73
    value 2
  ]
  edge
  [
    source 75
    target 44
    value 3
  ]
  edge
  [
    source 76
    target 4
    value 3
  ]
  edge
  [
    source 76
    target 14
    value 1
  ]
  edge
  [
    source 76
    target 35
    value 4
  ]
  edge
  [
    source 76
    target 43
    value 5
  ]
  edge
  [
    source 76
    target 73
    value 1
  ]
  edge
  [
    source 76
    target 74
    value 2
  ]
  edge
  [
    source 77
    target 42
    value 1
  ]
  edge
  [
    source 77
    target 13
    value 3
  ]
  edge
  [
    source 77
    target 6
    value 7
  ]
  edge
  [
    source 77
    target 34
    value 1
  ]
  edge
  [
    source 77
    target 35
    value 1
  ]
  edge
  [
    source 77
    target 74
    value 4
  ]
  edge
  [
    source 77
    target 44
    value 2
  ]
  edge
  [
    source 78
    target 190
    value 1
  ]
  edge
  [
    source 79
    target 190
    value 1
  ]
  edge
  [
    source 80
    target 190
    value 1
  ]
  edge
  [
    source 81
    target 190
    value 1
  ]
  edge
  [
    source 82
    target 3
    value 2
  ]
  edge
  [
    source 82
    target 4
    value 2
  ]
  edge
  [
    source 82
    target 7
    value 1
  ]
  edge
  [
    source 82
    target 23
    value 2
  ]
  edge
  [
    source 82
    target 46
    value 4
  ]
  edge
  [
    source 82
    target 73
    value 4
  ]
  edge
  [
    source 82
    target 74
    value 1
  ]
  edge
  [
    source 83
    target 84
    value 1
  ]
  edge
  [
    source 83
    target 71
    value 1
  ]
  edge
  [
    source 83
    target 41
    value 1
  ]
  edge
  [
    source 83
    target 21
    value 1
  ]
  edge
  [
    source 83
    target 35
    value 1
  ]
  edge
  [
    source 83
    target 25
    value 1
  ]
  edge
  [
    source 83
    target 85
    value 1
  ]
  edge
  [
    source 83
    target 65
    value 4
  ]
  edge
  [
    source 84
    target 151
    value 1
  ]
  edge
  [
    source 84
    target 152
    value 2
  ]
  edge
  [
    source 84
    target 155
    value 2
  ]
  edge
  [
    source 84
    target 156
    value 2
  ]
  edge
  [
    source 84
    target 157
    value 1
  ]
  edge
  [
    source 84
    target 158
    value 2
  ]
  edge
  [
    source 84
    target 2
    value 25
  ]
  edge
  [
    source 84
    target 86
    value 2
  ]
  edge
  [
    source 84
    target 118
    value 3
  ]
  edge
  [
    source 84
    target 4
    value 3
  ]
  edge
  [
    source 84
    target 187
    value 1
  ]
  edge
  [
    source 84
    target 163
    value 1
  ]
  edge
  [
    source 84
    target 142
    value 1
  ]
  edge
  [
    source 84
    target 175
    value 1
  ]
  edge
  [
    source 84
    target 180
    value 1
  ]
  edge
  [
    source 84
    target 188
    value 1
  ]
  edge
  [
    source 84
    target 189
    value 1
  ]
  edge
  [
    source 84
    target 190
    value 6
  ]
  edge
  [
    source 85
    target 12
    value 1
  ]
  edge
  [
    source 85
    target 60
    value 3
  ]
  edge
  [
    source 85
    target 211
    value 2
  ]
  edge
  [
    source 85
    target 44
    value 9
  ]
  edge
  [
    source 86
    target 151
    value 1
  ]
  edge
  [
    source 86
    target 152
    value 2
  ]
  edge
  [
    source 86
    target 155
    value 2
  ]
  edge
  [
    source 86
    target 156
    value 2
  ]
  edge
  [
    source 86
    target 157
    value 1
  ]
  edge
  [
    source 86
    target 158
    value 2
  ]
  edge
  [
    source 86
    target 12
    value 25
  ]
  edge
  [
    source 86
    target 84
    value 2
  ]
  edge
  [
    source 86
    target 117
    value 3
  ]
  edge
  [
    source 86
    target 3
    value 3
  ]
  edge
  [
    source 86
    target 187
    value 1
  ]
  edge
  [
    source 86
    target 163
    value 1
  ]
  edge
  [
    source 86
    target 191
    value 1
  ]
  edge
  [
    source 86
    target 175
    value 1
  ]
  edge
  [
    source 86
    target 180
    value 1
  ]
  edge
  [
    source 86
    target 188
    value 1
  ]
  edge
  [
    source 86
    target 189
    value 1
  ]
  edge
  [
    source 86
    target 190
    value 6
  ]
  edge
  [
    source 87
    target 106
    value 1
  ]
  edge
  [
    source 87
    target 236
    value 1
  ]
  edge
  [
    source 87
    target 109
    value 1
  ]
  edge
  [
    source 87
    target 2
    value 1
  ]
  edge
  [
    source 87
    target 86
    value 1
  ]
  edge
  [
    source 87
    target 117
    value 1
  ]
  edge
  [
    source 87
    target 4
    value 3
  ]
  edge
  [
    source 87
    target 119
    value 1
  ]
  edge
  [
    source 87
    target 103
    value 1
  ]
  edge
  [
    source 87
    target 47
    value 3
  ]
  edge
  [
    source 87
    target 48
    value 3
  ]
  edge
  [
    source 87
    target 43
    value 1
  ]
  edge
  [
    source 87
    target 46
    value 4
  ]
  edge
  [
    source 87
    target 52
    value 1
  ]
  edge
  [
    source 87
    target 44
    value 3
  ]
  edge
  [
    source 88
    target 190
    value 1
  ]
  edge
  [
    source 89
    target 2
    value 1
  ]
  edge
  [
    source 89
    target 60
    value 4
  ]
  edge
  [
    source 89
    target 212
    value 2
  ]
  edge
  [
    source 89
    target 44
    value 9
  ]
  edge
  [
    source 90
    target 3
    value 8
  ]
  edge
  [
    source 90
    target 4
    value 6
  ]
  edge
  [
    source 90
    target 213
    value 1
  ]
  edge
  [
    source 90
    target 218
    value 3
  ]
  edge
  [
    source 90
    target 187
    value 2
  ]
  edge
  [
    source 90
    target 71
    value 1
  ]
  edge
  [
    source 90
    target 58
    value 2
  ]
  edge
  [
    source 90
    target 15
    value 2
  ]
  edge
  [
    source 90
    target 27
    value 1
  ]
  edge
  [
    source 90
    target 31
    value 1
  ]
  edge
  [
    source 90
    target 14
    value 3
  ]
  edge
  [
    source 90
    target 7
    value 6
  ]
  edge
  [
    source 90
    target 132
    value 2
  ]
  edge
  [
    source 90
    target 130
    value 4
  ]
  edge
  [
    source 90
    target 23
    value 1
  ]
  edge
  [
    source 90
    target 47
    value 2
  ]
  edge
  [
    source 90
    target 48
    value 5
  ]
  edge
  [
    source 90
    target 73
    value 1
  ]
  edge
  [
    source 90
    target 74
    value 1
  ]
  edge
  [
    source 90
    target 77
    value 1
  ]
  edge
  [
    source 90
    target 75
    value 1
  ]
  edge
  [
    source 90
    target 91
    value 1
  ]
  edge
  [
    source 91
    target 12
    value 1
  ]
  edge
  [
    source 91
    target 3
    value 6
  ]
  edge
  [
    source 91
    target 29
    value 1
  ]
  edge
  [
    source 91
    target 6
    value 1
  ]
  edge
  [
    source 91
    target 7
    value 1
  ]
  edge
  [
    source 91
    target 23
    value 1
  ]
  edge
  [
    source 91
    target 35
    value 4
  ]
  edge
  [
    source 91
    target 43
    value 3
  ]
  edge
  [
    source 91
    target 78
    value 1
  ]
  edge
  [
    source 91
    target 79
    value 1
  ]
  edge
  [
    source 91
    target 77
    value 3
  ]
  edge
  [
    source 92
    target 3
    value 2
  ]
  edge
  [
    source 92
    target 4
    value 2
  ]
  edge
  [
    source 92
    target 48
    value 1
  ]
  edge
  [
    source 92
    target 39
    value 1
  ]
  edge
  [
    source 92
    target 39
    value 2
  ]
  edge
  [
    source 93
    target 101
    value 1
  ]
  edge
  [
    source 93
    target 114
    value 1
  ]
  edge
  [
    source 93
    target 216
    value 1
  ]
  edge
  [
    source 93
    target 235
    value 1
  ]
  edge
  [
    source 93
    target 141
    value 1
  ]
  edge
  [
    source 93
    target 12
    value 1
  ]
  edge
  [
    source 93
    target 86
    value 2
  ]
  edge
  [
    source 93
    target 3
    value 2
  ]
  edge
  [
    source 93
    target 71
    value 1
  ]
  edge
  [
    source 93
    target 47
    value 1
  ]
  edge
  [
    source 93
    target 48
    value 3
  ]
  edge
  [
    source 93
    target 43
    value 4
  ]
  edge
  [
    source 93
    target 36
    value 1
  ]
  edge
  [
    source 93
    target 25
    value 1
  ]
  edge
  [
    source 93
    target 78
    value 2
  ]
  edge
  [
    source 93
    target 104
    value 2
  ]
  edge
  [
    source 93
    target 65
    value 1
  ]
  edge
  [
    source 93
    target 44
    value 5
  ]
  edge
  [
    source 94
    target 190
    value 1
  ]
  edge
  [
    source 95
    target 63
    value 1
  ]
  edge
  [
    source 95
    target 67
    value 1
  ]
  edge
  [
    source 95
    target 240
    value 1
  ]
  edge
  [
    source 95
    target 12
    value 5
  ]
  edge
  [
    source 95
    target 198
    value 1
  ]
  edge
  [
    source 95
    target 119
    value 2
  ]
  edge
  [
    source 95
    target 142
    value 7
  ]
  edge
  [
    source 95
    target 125
    value 2
  ]
  edge
  [
    source 95
    target 172
    value 2
  ]
  edge
  [
    source 95
    target 207
    value 4
  ]
  edge
  [
    source 95
    target 204
    value 1
  ]
  edge
  [
    source 95
    target 72
    value 1
  ]
  edge
  [
    source 95
    target 241
    value 1
  ]
  edge
  [
    source 95
    target 61
    value 1
  ]
  edge
  [
    source 96
    target 97
    value 1
  ]
  edge
  [
    source 96
    target 60
    value 1
  ]
  edge
  [
    source 96
    target 44
    value 1
  ]
  edge
  [
    source 97
    target 166
    value 2
  ]
  edge
  [
    source 97
    target 227
    value 1
  ]
  edge
  [
    source 97
    target 221
    value 1
  ]
  edge
  [
    source 97
    target 44
    value 29
  ]
  edge
  [
    source 98
    target 2
    value 2
  ]
  edge
  [
    source 98
    target 84
    value 4
  ]
  edge
  [
    source 98
    target 86
    value 1
  ]
  edge
  [
    source 98
    target 118
    value 4
  ]
  edge
  [
    source 98
    target 3
    value 4
  ]
  edge
  [
    source 98
    target 202
    value 1
  ]
  edge
  [
    source 98
    target 198
    value 1
  ]
  edge
  [
    source 98
    target 119
    value 1
  ]
  edge
  [
    source 98
    target 206
    value 1
  ]
  edge
  [
    source 98
    target 191
    value 1
  ]
  edge
  [
    source 98
    target 125
    value 2
  ]
  edge
  [
    source 98
    target 172
    value 4
  ]
  edge
  [
    source 98
    target 207
    value 1
  ]
  edge
  [
    source 98
    target 145
    value 1
  ]
  edge
  [
    source 98
    target 186
    value 1
  ]
  edge
  [
    source 99
    target 107
    value 1
  ]
  edge
  [
    source 99
    target 2
    value 1
  ]
  edge
  [
    source 99
    target 4
    value 3
  ]
  edge
  [
    source 99
    target 6
    value 10
  ]
  edge
  [
    source 99
    target 7
    value 12
  ]
  edge
  [
    source 99
    target 52
    value 1
  ]
  edge
  [
    source 100
    target 101
    value 1
  ]
  edge
  [
    source 100
    target 102
    value 11
  ]
  edge
  [
    source 100
    target 11
    value 3
  ]
  edge
  [
    source 100
    target 19
    value 1
  ]
  edge
  [
    source 100
    target 13
    value 12
  ]
  edge
  [
    source 100
    target 103
    value 2
  ]
  edge
  [
    source 100
    target 104
    value 2
  ]
  edge
  [
    source 101
    target 1
    value 1
  ]
  edge
  [
    source 101
    target 114
    value 2
  ]
  edge
  [
    source 101
    target 2
    value 1
  ]
  edge
  [
    source 101
    target 84
    value 4
  ]
  edge
  [
    source 101
    target 86
    value 5
  ]
  edge
  [
    source 101
    target 3
    value 1
  ]
  edge
  [
    source 101
    target 98
    value 4
  ]
  edge
  [
    source 101
    target 224
    value 1
  ]
  edge
  [
    source 101
    target 132
    value 3
  ]
  edge
  [
    source 101
    target 22
    value 1
  ]
  edge
  [
    source 101
    target 22
    value 1
  ]
  edge
  [
    source 101
    target 77
    value 2
  ]
  edge
  [
    source 102
    target 100
    value 2
  ]
  edge
  [
    source 102
    target 113
    value 2
  ]
  edge
  [
    source 102
    target 1
    value 4
  ]
  edge
  [
    source 102
    target 114
    value 7
  ]
  edge
  [
    source 102
    target 135
    value 1
  ]
  edge
  [
    source 102
    target 136
    value 1
  ]
  edge
  [
    source 102
    target 4
    value 4
  ]
  edge
  [
    source 102
    target 137
    value 1
  ]
  edge
  [
    source 102
    target 13
    value 7
  ]
  edge
  [
    source 102
    target 59
    value 1
  ]
  edge
  [
    source 102
    target 132
    value 3
  ]
  edge
  [
    source 102
    target 89
    value 4
  ]
  edge
  [
    source 102
    target 104
    value 7
  ]
  edge
  [
    source 103
    target 102
    value 6
  ]
  edge
  [
    source 103
    target 108
    value 5
  ]
  edge
  [
    source 103
    target 201
    value 1
  ]
  edge
  [
    source 103
    target 11
    value 1
  ]
  edge
  [
    source 103
    target 5
    value 1
  ]
  edge
  [
    source 103
    target 137
    value 3
  ]
  edge
  [
    source 103
    target 191
    value 1
  ]
  edge
  [
    source 103
    target 13
    value 6
  ]
  edge
  [
    source 103
    target 6
    value 1
  ]
  edge
  [
    source 103
    target 65
    value 5
  ]
  edge
  [
    source 103
    target 52
    value 2
  ]
  edge
  [
    source 104
    target 222
    value 1
  ]
  edge
  [
    source 104
    target 64
    value 5
  ]
  edge
  [
    source 104
    target 131
    value 3
  ]
  edge
  [
    source 104
    target 44
    value 4
  ]
  edge
  [
    source 105
    target 106
    value 1
  ]
  edge
  [
    source 105
    target 107
    value 1
  ]
  edge
  [
    source 105
    target 108
    value 8
  ]
  edge
  [
    source 105
    target 109
    value 1
  ]
  edge
  [
    source 105
    target 99
    value 3
  ]
  edge
  [
    source 105
    target 110
    value 2
  ]
  edge
  [
    source 105
    target 111
    value 1
  ]
  edge
  [
    source 105
    target 6
    value 12
  ]
  edge
  [
    source 105
    target 9
    value 2
  ]
  edge
  [
    source 105
    target 103
    value 3
  ]
  edge
  [
    source 105
    target 89
    value 1
  ]
  edge
  [
    source 105
    target 112
    value 2
  ]
  edge
  [
    source 105
    target 52
    value 1
  ]
  edge
  [
    source 106
    target 84
    value 3
  ]
  edge
  [
    source 106
    target 86
    value 4
  ]
  edge
  [
    source 106
    target 3
    value 1
  ]
  edge
  [
    source 106
    target 119
    value 3
  ]
  edge
  [
    source 106
    target 130
    value 4
  ]
  edge
  [
    source 106
    target 33
    value 1
  ]
  edge
  [
    source 106
    target 209
    value 1
  ]
  edge
  [
    source 106
    target 75
    value 2
  ]
  edge
  [
    source 107
    target 105
    value 1
  ]
  edge
  [
    source 107
    target 108
    value 6
  ]
  edge
  [
    source 107
    target 139
    value 1
  ]
  edge
  [
    source 107
    target 191
    value 1
  ]
  edge
  [
    source 107
    target 6
    value 4
  ]
  edge
  [
    source 107
    target 7
    value 4
  ]
  edge
  [
    source 108
    target 122
    value 1
  ]
  edge
  [
    source 108
    target 1
    value 9
  ]
  edge
  [
    source 108
    target 114
    value 1
  ]
  edge
  [
    source 108
    target 3
    value 4
  ]
  edge
  [
    source 108
    target 4
    value 1
  ]
  edge
  [
    source 108
    target 137
    value 2
  ]
  edge
  [
    source 108
    target 6
    value 7
  ]
  edge
  [
    source 108
    target 130
    value 4
  ]
  edge
  [
    source 108
    target 85
    value 5
  ]
  edge
  [
    source 108
    target 112
    value 3
  ]
  edge
  [
    source 109
    target 106
    value 1
  ]
  edge
  [
    source 109
    target 105
    value 2
  ]
  edge
  [
    source 109
    target 122
    value 9
  ]
  edge
  [
    source 109
    target 114
    value 3
  ]
  edge
  [
    source 109
    target 2
    value 5
  ]
  edge
  [
    source 109
    target 86
    value 3
  ]
  edge
  [
    source 109
    target 117
    value 5
  ]
  edge
  [
    source 109
    target 118
    value 1
  ]
  edge
  [
    source 109
    target 4
    value 2
  ]
  edge
  [
    source 109
    target 142
    value 1
  ]
  edge
  [
    source 109
    target 111
    value 1
  ]
  edge
  [
    source 109
    target 6
    value 2
  ]
  edge
  [
    source 109
    target 87
    value 2
  ]
  edge
  [
    source 110
    target 105
    value 4
  ]
  edge
  [
    source 110
    target 108
    value 4
  ]
  edge
  [
    source 110
    target 28
    value 1
  ]
  edge
  [
    source 110
    target 86
    value 2
  ]
  edge
  [
    source 110
    target 6
    value 1
  ]
  edge
  [
    source 110
    target 103
    value 2
  ]
  edge
  [
    source 110
    target 112
    value 1
  ]
  edge
  [
    source 111
    target 105
    value 1
  ]
  edge
  [
    source 111
    target 201
    value 1
  ]
  edge
  [
    source 111
    target 12
    value 1
  ]
  edge
  [
    source 111
    target 2
    value 2
  ]
  edge
  [
    source 111
    target 84
    value 3
  ]
  edge
  [
    source 111
    target 86
    value 7
  ]
  edge
  [
    source 111
    target 3
    value 1
  ]
  edge
  [
    source 111
    target 198
    value 3
  ]
  edge
  [
    source 111
    target 187
    value 4
  ]
  edge
  [
    source 111
    target 233
    value 1
  ]
  edge
  [
    source 111
    target 193
    value 2
  ]
  edge
  [
    source 111
    target 125
    value 5
  ]
  edge
  [
    source 111
    target 172
    value 7
  ]
  edge
  [
    source 111
    target 145
    value 1
  ]
  edge
  [
    source 111
    target 6
    value 2
  ]
  edge
  [
    source 111
    target 9
    value 1
  ]
  edge
  [
    source 111
    target 130
    value 1
  ]
  edge
  [
    source 111
    target 190
    value 3
  ]
  edge
  [
    source 112
    target 223
    value 3
  ]
  edge
  [
    source 112
    target 64
    value 3
  ]
  edge
  [
    source 112
    target 72
    value 4
  ]
  edge
  [
    source 112
    target 44
    value 4
  ]
  edge
  [
    source 113
    target 101
    value 1
  ]
  edge
  [
    source 113
    target 1
    value 11
  ]
  edge
  [
    source 113
    target 149
    value 2
  ]
  edge
  [
    source 113
    target 102
    value 2
  ]
  edge
  [
    source 113
    target 115
    value 2
  ]
  edge
  [
    source 113
    target 140
    value 1
  ]
  edge
  [
    source 113
    target 141
    value 3
  ]
  edge
  [
    source 113
    target 124
    value 1
  ]
  edge
  [
    source 113
    target 191
    value 1
  ]
  edge
  [
    source 113
    target 215
    value 1
  ]
  edge
  [
    source 114
    target 2
    value 1
  ]
  edge
  [
    source 114
    target 86
    value 3
  ]
  edge
  [
    source 114
    target 3
    value 1
  ]
  edge
  [
    source 114
    target 13
    value 1
  ]
  edge
  [
    source 114
    target 14
    value 4
  ]
  edge
  [
    source 114
    target 132
    value 14
  ]
  edge
  [
    source 114
    target 130
    value 1
  ]
  edge
  [
    source 114
    target 131
    value 1
  ]
  edge
  [
    source 114
    target 73
    value 3
  ]
  edge
  [
    source 114
    target 133
    value 1
  ]
  edge
  [
    source 115
    target 126
    value 3
  ]
  edge
  [
    source 115
    target 128
    value 1
  ]
  edge
  [
    source 115
    target 113
    value 4
  ]
  edge
  [
    source 115
    target 122
    value 3
  ]
  edge
  [
    source 115
    target 1
    value 1
  ]
  edge
  [
    source 115
    target 114
    value 7
  ]
  edge
  [
    source 115
    target 10
    value 4
  ]
  edge
  [
    source 115
    target 107
    value 12
  ]
  edge
  [
    source 115
    target 139
    value 1
  ]
  edge
  [
    source 115
    target 138
    value 1
  ]
  edge
  [
    source 115
    target 124
    value 2
  ]
  edge
  [
    source 116
    target 100
    value 3
  ]
  edge
  [
    source 116
    target 113
    value 7
  ]
  edge
  [
    source 116
    target 1
    value 5
  ]
  edge
  [
    source 116
    target 141
    value 1
  ]
  edge
  [
    source 116
    target 12
    value 2
  ]
  edge
  [
    source 116
    target 84
    value 6
  ]
  edge
  [
    source 116
    target 117
    value 2
  ]
  edge
  [
    source 116
    target 118
    value 4
  ]
  edge
  [
    source 116
    target 13
    value 4
  ]
  edge
  [
    source 116
    target 132
    value 1
  ]
  edge
  [
    source 116
    target 22
    value 1
  ]
  edge
  [
    source 116
    target 103
    value 1
  ]
  edge
  [
    source 117
    target 151
    value 1
  ]
  edge
  [
    source 117
    target 152
    value 2
  ]
  edge
  [
    source 117
    target 153
    value 2
  ]
  edge
  [
    source 117
    target 156
    value 1
  ]
  edge
  [
    source 117
    target 157
    value 1
  ]
  edge
  [
    source 117
    target 12
    value 70
  ]
  edge
  [
    source 117
    target 84
    value 1
  ]
  edge
  [
    source 117
    target 118
    value 2
  ]
  edge
  [
    source 117
    target 159
    value 3
  ]
  edge
  [
    source 117
    target 160
    value 2
  ]
  edge
  [
    source 117
    target 161
    value 6
  ]
  edge
  [
    source 117
    target 162
    value 4
  ]
  edge
  [
    source 117
    target 163
    value 3
  ]
  edge
  [
    source 117
    target 166
    value 1
  ]
  edge
  [
    source 117
    target 167
    value 1
  ]
  edge
  [
    source 117
    target 192
    value 1
  ]
  edge
  [
    source 117
    target 193
    value 1
  ]
  edge
  [
    source 117
    target 170
    value 3
  ]
  edge
  [
    source 117
    target 194
    value 1
  ]
  edge
  [
    source 117
    target 125
    value 1
  ]
  edge
  [
    source 117
    target 173
    value 3
  ]
  edge
  [
    source 117
    target 186
    value 6
  ]
  edge
  [
    source 117
    target 176
    value 1
  ]
  edge
  [
    source 117
    target 178
    value 1
  ]
  edge
  [
    source 117
    target 179
    value 3
  ]
  edge
  [
    source 117
    target 181
    value 1
  ]
  edge
  [
    source 117
    target 182
    value 2
  ]
  edge
  [
    source 118
    target 151
    value 1
  ]
  edge
  [
    source 118
    target 152
    value 2
  ]
  edge
  [
    source 118
    target 153
    value 2
  ]
  edge
  [
    source 118
    target 156
    value 1
  ]
  edge
  [
    source 118
    target 157
    value 1
  ]
  edge
  [
    source 118
    target 2
    value 70
  ]
  edge
  [
    source 118
    target 86
    value 1
  ]
  edge
  [
    source 118
    target 117
    value 2
  ]
  edge
  [
    source 118
    target 159
    value 3
  ]
  edge
  [
    source 118
    target 160
    value 2
  ]
  edge
  [
    source 118
    target 161
    value 6
  ]
  edge
  [
    source 118
    target 162
    value 4
  ]
  edge
  [
    source 118
    target 163
    value 3
  ]
  edge
  [
    source 118
    target 166
    value 1
  ]
  edge
  [
    source 118
    target 167
    value 1
  ]
  edge
  [
    source 118
    target 192
    value 1
  ]
  edge
  [
    source 118
    target 193
    value 1
  ]
  edge
  [
    source 118
    target 184
    value 3
  ]
  edge
  [
    source 118
    target 194
    value 1
  ]
  edge
  [
    source 118
    target 172
    value 1
  ]
  edge
  [
    source 118
    target 173
    value 3
  ]
  edge
  [
    source 118
    target 174
    value 6
  ]
  edge
  [
    source 118
    target 176
    value 1
  ]
  edge
  [
    source 118
    target 178
    value 1
  ]
  edge
  [
    source 118
    target 179
    value 3
  ]
  edge
  [
    source 118
    target 181
    value 1
  ]
  edge
  [
    source 118
    target 182
    value 2
  ]
  edge
  [
    source 119
    target 12
    value 2
  ]
  edge
  [
    source 119
    target 84
    value 1
  ]
  edge
  [
    source 119
    target 86
    value 5
  ]
  edge
  [
    source 119
    target 117
    value 3
  ]
  edge
  [
    source 119
    target 4
    value 4
  ]
  edge
  [
    source 119
    target 199
    value 1
  ]
  edge
  [
    source 119
    target 123
    value 1
  ]
  edge
  [
    source 119
    target 142
    value 1
  ]
  edge
  [
    source 119
    target 125
    value 1
  ]
  edge
  [
    source 119
    target 172
    value 3
  ]
  edge
  [
    source 119
    target 204
    value 2
  ]
  edge
  [
    source 119
    target 148
    value 1
  ]
  edge
  [
    source 119
    target 205
    value 1
  ]
  edge
  [
    source 119
    target 90
    value 2
  ]
  edge
  [
    source 119
    target 174
    value 1
  ]
  edge
  [
    source 120
    target 100
    value 8
  ]
  edge
  [
    source 120
    target 114
    value 1
  ]
  edge
  [
    source 120
    target 102
    value 7
  ]
  edge
  [
    source 120
    target 84
    value 1
  ]
  edge
  [
    source 120
    target 13
    value 3
  ]
  edge
  [
    source 120
    target 85
    value 1
  ]
  edge
  [
    source 121
    target 122
    value 10
  ]
  edge
  [
    source 121
    target 114
    value 11
  ]
  edge
  [
    source 121
    target 115
    value 1
  ]
  edge
  [
    source 121
    target 109
    value 3
  ]
  edge
  [
    source 121
    target 2
    value 2
  ]
  edge
  [
    source 121
    target 84
    value 1
  ]
  edge
  [
    source 121
    target 86
    value 2
  ]
  edge
  [
    source 121
    target 117
    value 5
  ]
  edge
  [
    source 121
    target 118
    value 2
  ]
  edge
  [
    source 121
    target 123
    value 1
  ]
  edge
  [
    source 121
    target 98
    value 2
  ]
  edge
  [
    source 121
    target 124
    value 3
  ]
  edge
  [
    source 121
    target 31
    value 1
  ]
  edge
  [
    source 121
    target 125
    value 2
  ]
  edge
  [
    source 121
    target 20
    value 1
  ]
  edge
  [
    source 121
    target 21
    value 1
  ]
  edge
  [
    source 122
    target 106
    value 1
  ]
  edge
  [
    source 122
    target 121
    value 1
  ]
  edge
  [
    source 122
    target 114
    value 12
  ]
  edge
  [
    source 122
    target 108
    value 1
  ]
  edge
  [
    source 122
    target 115
    value 1
  ]
  edge
  [
    source 122
    target 139
    value 1
  ]
  edge
  [
    source 122
    target 124
    value 1
  ]
  edge
  [
    source 122
    target 205
    value 2
  ]
  edge
  [
    source 123
    target 121
    value 2
  ]
  edge
  [
    source 123
    target 201
    value 1
  ]
  edge
  [
    source 123
    target 84
    value 1
  ]
  edge
  [
    source 123
    target 118
    value 1
  ]
  edge
  [
    source 123
    target 202
    value 5
  ]
  edge
  [
    source 123
    target 198
    value 2
  ]
  edge
  [
    source 123
    target 119
    value 1
  ]
  edge
  [
    source 123
    target 98
    value 2
  ]
  edge
  [
    source 123
    target 203
    value 4
  ]
  edge
  [
    source 123
    target 145
    value 2
  ]
  edge
  [
    source 123
    target 8
    value 1
  ]
  edge
  [
    source 123
    target 103
    value 3
  ]
  edge
  [
    source 123
    target 89
    value 1
  ]
  edge
  [
    source 123
    target 104
    value 1
  ]
  edge
  [
    source 123
    target 200
    value 1
  ]
  edge
  [
    source 124
    target 121
    value 1
  ]
  edge
  [
    source 124
    target 122
    value 2
  ]
  edge
  [
    source 124
    target 1
    value 1
  ]
  edge
  [
    source 124
    target 114
    value 3
  ]
  edge
  [
    source 124
    target 10
    value 4
  ]
  edge
  [
    source 124
    target 107
    value 9
  ]
  edge
  [
    source 124
    target 138
    value 2
  ]
  edge
  [
    source 125
    target 151
    value 1
  ]
  edge
  [
    source 125
    target 154
    value 2
  ]
  edge
  [
    source 125
    target 12
    value 7
  ]
  edge
  [
    source 125
    target 2
    value 9
  ]
  edge
  [
    source 125
    target 84
    value 4
  ]
  edge
  [
    source 125
    target 86
    value 16
  ]
  edge
  [
    source 125
    target 117
    value 3
  ]
  edge
  [
    source 125
    target 118
    value 6
  ]
  edge
  [
    source 125
    target 3
    value 2
  ]
  edge
  [
    source 125
    target 4
    value 1
  ]
  edge
  [
    source 125
    target 119
    value 3
  ]
  edge
  [
    source 125
    target 187
    value 1
  ]
  edge
  [
    source 125
    target 160
    value 1
  ]
  edge
  [
    source 125
    target 232
    value 4
  ]
  edge
  [
    source 125
    target 168
    value 5
  ]
  edge
  [
    source 125
    target 192
    value 7
  ]
  edge
  [
    source 125
    target 169
    value 3
  ]
  edge
  [
    source 125
    target 253
    value 4
  ]
  edge
  [
    source 125
    target 137
    value 4
  ]
  edge
  [
    source 125
    target 184
    value 1
  ]
  edge
  [
    source 125
    target 171
    value 1
  ]
  edge
  [
    source 125
    target 172
    value 3
  ]
  edge
  [
    source 125
    target 42
    value 1
  ]
  edge
  [
    source 125
    target 256
    value 1
  ]
  edge
  [
    source 125
    target 96
    value 5
  ]
  edge
  [
    source 125
    target 90
    value 2
  ]
  edge
  [
    source 125
    target 78
    value 2
  ]
  edge
  [
    source 125
    target 254
    value 1
  ]
  edge
  [
    source 125
    target 262
    value 1
  ]
  edge
  [
    source 125
    target 263
    value 4
  ]
  edge
  [
    source 125
    target 264
    value 1
  ]
  edge
  [
    source 125
    target 265
    value 5
  ]
  edge
  [
    source 125
    target 266
    value 3
  ]
  edge
  [
    source 125
    target 267
    value 2
  ]
  edge
  [
    source 126
    target 127
    value 1
  ]
  edge
  [
    source 126
    target 10
    value 7
  ]
  edge
  [
    source 127
    target 126
    value 5
  ]
  edge
  [
    source 127
    target 113
    value 2
  ]
  edge
  [
    source 127
    target 1
    value 2
  ]
  edge
  [
    source 127
    target 115
    value 3
  ]
  edge
  [
    source 127
    target 5
    value 3
  ]
  edge
  [
    source 127
    target 14
    value 1
  ]
  edge
  [
    source 127
    target 96
    value 1
  ]
  edge
  [
    source 127
    target 39
    value 1
  ]
  edge
  [
    source 128
    target 107
    value 11
  ]
  edge
  [
    source 128
    target 115
    value 1
  ]
  edge
  [
    source 129
    target 63
    value 1
  ]
  edge
  [
    source 129
    target 67
    value 2
  ]
  edge
  [
    source 129
    target 1
    value 1
  ]
  edge
  [
    source 129
    target 114
    value 2
  ]
  edge
  [
    source 129
    target 12
    value 13
  ]
  edge
  [
    source 129
    target 2
    value 18
  ]
  edge
  [
    source 129
    target 84
    value 4
  ]
  edge
  [
    source 129
    target 86
    value 5
  ]
  edge
  [
    source 129
    target 117
    value 6
  ]
  edge
  [
    source 129
    target 118
    value 14
  ]
  edge
  [
    source 129
    target 137
    value 1
  ]
  edge
  [
    source 129
    target 224
    value 1
  ]
  edge
  [
    source 130
    target 106
    value 1
  ]
  edge
  [
    source 130
    target 1
    value 4
  ]
  edge
  [
    source 130
    target 12
    value 2
  ]
  edge
  [
    source 130
    target 84
    value 2
  ]
  edge
  [
    source 130
    target 86
    value 5
  ]
  edge
  [
    source 130
    target 119
    value 1
  ]
  edge
  [
    source 130
    target 213
    value 1
  ]
  edge
  [
    source 130
    target 7
    value 1
  ]
  edge
  [
    source 130
    target 90
    value 1
  ]
  edge
  [
    source 130
    target 47
    value 2
  ]
  edge
  [
    source 130
    target 48
    value 1
  ]
  edge
  [
    source 130
    target 210
    value 2
  ]
  edge
  [
    source 130
    target 211
    value 3
  ]
  edge
  [
    source 130
    target 212
    value 3
  ]
  edge
  [
    source 130
    target 73
    value 2
  ]
  edge
  [
    source 130
    target 74
    value 3
  ]
  edge
  [
    source 130
    target 44
    value 4
  ]
  edge
  [
    source 131
    target 1
    value 1
  ]
  edge
  [
    source 131
    target 12
    value 5
  ]
  edge
  [
    source 131
    target 132
    value 3
  ]
  edge
  [
    source 131
    target 130
    value 5
  ]
  edge
  [
    source 131
    target 93
    value 1
  ]
  edge
  [
    source 132
    target 12
    value 1
  ]
  edge
  [
    source 132
    target 84
    value 2
  ]
  edge
  [
    source 132
    target 86
    value 3
  ]
  edge
  [
    source 132
    target 14
    value 1
  ]
  edge
  [
    source 132
    target 90
    value 1
  ]
  edge
  [
    source 132
    target 47
    value 1
  ]
  edge
  [
    source 132
    target 48
    value 3
  ]
  edge
  [
    source 132
    target 210
    value 1
  ]
  edge
  [
    source 132
    target 72
    value 1
  ]
  edge
  [
    source 132
    target 211
    value 3
  ]
  edge
  [
    source 132
    target 212
    value 2
  ]
  edge
  [
    source 132
    target 74
    value 5
  ]
  edge
  [
    source 132
    target 77
    value 1
  ]
  edge
  [
    source 132
    target 44
    value 4
  ]
  edge
  [
    source 133
    target 114
    value 1
  ]
  edge
  [
    source 133
    target 219
    value 1
  ]
  edge
  [
    source 133
    target 132
    value 1
  ]
  edge
  [
    source 133
    target 214
    value 2
  ]
  edge
  [
    source 133
    target 131
    value 9
  ]
  edge
  [
    source 133
    target 72
    value 4
  ]
  edge
  [
    source 133
    target 173
    value 1
  ]
  edge
  [
    source 133
    target 196
    value 3
  ]
  edge
  [
    source 133
    target 178
    value 1
  ]
  edge
  [
    source 133
    target 179
    value 1
  ]
  edge
  [
    source 133
    target 200
    value 2
  ]
  edge
  [
    source 133
    target 197
    value 1
  ]
  edge
  [
    source 133
    target 44
    value 5
  ]
  edge
  [
    source 134
    target 128
    value 5
  ]
  edge
  [
    source 134
    target 135
    value 2
  ]
  edge
  [
    source 134
    target 28
    value 1
  ]
  edge
  [
    source 134
    target 99
    value 1
  ]
  edge
  [
    source 134
    target 0
    value 3
  ]
  edge
  [
    source 134
    target 14
    value 1
  ]
  edge
  [
    source 134
    target 7
    value 2
  ]
  edge
  [
    source 134
    target 39
    value 1
  ]
  edge
  [
    source 135
    target 105
    value 1
  ]
  edge
  [
    source 135
    target 113
    value 4
  ]
  edge
  [
    source 135
    target 1
    value 7
  ]
  edge
  [
    source 135
    target 114
    value 3
  ]
  edge
  [
    source 135
    target 10
    value 12
  ]
  edge
  [
    source 135
    target 107
    value 6
  ]
  edge
  [
    source 135
    target 138
    value 4
  ]
  edge
  [
    source 135
    target 124
    value 2
  ]
  edge
  [
    source 135
    target 6
    value 1
  ]
  edge
  [
    source 136
    target 1
    value 1
  ]
  edge
  [
    source 136
    target 10
    value 2
  ]
  edge
  [
    source 136
    target 102
    value 1
  ]
  edge
  [
    source 136
    target 135
    value 1
  ]
  edge
  [
    source 136
    target 115
    value 1
  ]
  edge
  [
    source 136
    target 141
    value 2
  ]
  edge
  [
    source 136
    target 138
    value 2
  ]
  edge
  [
    source 136
    target 124
    value 2
  ]
  edge
  [
    source 137
    target 102
    value 3
  ]
  edge
  [
    source 137
    target 201
    value 3
  ]
  edge
  [
    source 137
    target 11
    value 1
  ]
  edge
  [
    source 137
    target 99
    value 1
  ]
  edge
  [
    source 137
    target 12
    value 3
  ]
  edge
  [
    source 137
    target 84
    value 1
  ]
  edge
  [
    source 137
    target 3
    value 8
  ]
  edge
  [
    source 137
    target 4
    value 6
  ]
  edge
  [
    source 137
    target 232
    value 1
  ]
  edge
  [
    source 137
    target 168
    value 3
  ]
  edge
  [
    source 137
    target 192
    value 1
  ]
  edge
  [
    source 137
    target 169
    value 1
  ]
  edge
  [
    source 137
    target 253
    value 2
  ]
  edge
  [
    source 137
    target 185
    value 2
  ]
  edge
  [
    source 137
    target 125
    value 5
  ]
  edge
  [
    source 137
    target 42
    value 2
  ]
  edge
  [
    source 137
    target 13
    value 1
  ]
  edge
  [
    source 137
    target 6
    value 2
  ]
  edge
  [
    source 137
    target 130
    value 1
  ]
  edge
  [
    source 137
    target 103
    value 1
  ]
  edge
  [
    source 137
    target 72
    value 1
  ]
  edge
  [
    source 137
    target 211
    value 1
  ]
  edge
  [
    source 137
    target 212
    value 1
  ]
  edge
  [
    source 137
    target 89
    value 3
  ]
  edge
  [
    source 137
    target 85
    value 2
  ]
  edge
  [
    source 137
    target 104
    value 3
  ]
  edge
  [
    source 137
    target 112
    value 2
  ]
  edge
  [
    source 137
    target 177
    value 1
  ]
  edge
  [
    source 137
    target 133
    value 1
  ]
  edge
  [
    source 137
    target 254
    value 2
  ]
  edge
  [
    source 138
    target 113
    value 2
  ]
  edge
  [
    source 138
    target 122
    value 4
  ]
  edge
  [
    source 138
    target 1
    value 1
  ]
  edge
  [
    source 138
    target 114
    value 1
  ]
  edge
  [
    source 138
    target 10
    value 13
  ]
  edge
  [
    source 138
    target 12
    value 1
  ]
  edge
  [
    source 138
    target 13
    value 2
  ]
  edge
  [
    source 139
    target 105
    value 3
  ]
  edge
  [
    source 139
    target 128
    value 9
  ]
  edge
  [
    source 139
    target 107
    value 2
  ]
  edge
  [
    source 139
    target 108
    value 7
  ]
  edge
  [
    source 139
    target 135
    value 1
  ]
  edge
  [
    source 139
    target 115
    value 2
  ]
  edge
  [
    source 139
    target 110
    value 2
  ]
  edge
  [
    source 139
    target 205
    value 2
  ]
  edge
  [
    source 139
    target 103
    value 1
  ]
  edge
  [
    source 140
    target 113
    value 9
  ]
  edge
  [
    source 140
    target 1
    value 3
  ]
  edge
  [
    source 140
    target 127
    value 1
  ]
  edge
  [
    source 140
    target 141
    value 1
  ]
  edge
  [
    source 141
    target 113
    value 11
  ]
  edge
  [
    source 141
    target 1
    value 3
  ]
  edge
  [
    source 141
    target 149
    value 2
  ]
  edge
  [
    source 141
    target 144
    value 1
  ]
  edge
  [
    source 142
    target 1
    value 1
  ]
  edge
  [
    source 142
    target 114
    value 1
  ]
  edge
  [
    source 142
    target 102
    value 1
  ]
  edge
  [
    source 142
    target 108
    value 1
  ]
  edge
  [
    source 142
    target 157
    value 1
  ]
  edge
  [
    source 142
    target 116
    value 2
  ]
  edge
  [
    source 142
    target 117
    value 3
  ]
  edge
  [
    source 142
    target 202
    value 2
  ]
  edge
  [
    source 142
    target 119
    value 1
  ]
  edge
  [
    source 142
    target 120
    value 1
  ]
  edge
  [
    source 142
    target 95
    value 2
  ]
  edge
  [
    source 142
    target 163
    value 2
  ]
  edge
  [
    source 142
    target 164
    value 1
  ]
  edge
  [
    source 142
    target 169
    value 1
  ]
  edge
  [
    source 142
    target 191
    value 1
  ]
  edge
  [
    source 142
    target 204
    value 2
  ]
  edge
  [
    source 142
    target 148
    value 1
  ]
  edge
  [
    source 142
    target 205
    value 3
  ]
  edge
  [
    source 142
    target 130
    value 1
  ]
  edge
  [
    source 142
    target 87
    value 1
  ]
  edge
  [
    source 142
    target 173
    value 1
  ]
  edge
  [
    source 142
    target 186
    value 3
  ]
  edge
  [
    source 142
    target 181
    value 1
  ]
  edge
  [
    source 142
    target 182
    value 1
  ]
  edge
  [
    source 142
    target 238
    value 4
  ]
  edge
  [
    source 142
    target 245
    value 2
  ]
  edge
  [
    source 142
    target 244
    value 5
  ]
  edge
  [
    source 142
    target 44
    value 3
  ]
  edge
  [
    source 142
    target 44
    value 21
  ]
  edge
  [
    source 143
    target 122
    value 3
  ]
  edge
  [
    source 143
    target 135
    value 2
  ]
  edge
  [
    source 143
    target 109
    value 1
  ]
  edge
  [
    source 143
    target 138
    value 1
  ]
  edge
  [
    source 143
    target 124
    value 2
  ]
  edge
  [
    source 144
    target 141
    value 4
  ]
  edge
  [
    source 144
    target 145
    value 13
  ]
  edge
  [
    source 145
    target 113
    value 6
  ]
  edge
  [
    source 145
    target 144
    value 1
  ]
  edge
  [
    source 145
    target 141
    value 4
  ]
  edge
  [
    source 145
    target 187
    value 1
  ]
  edge
  [
    source 145
    target 219
    value 1
  ]
  edge
  [
    source 145
    target 195
    value 1
  ]
  edge
  [
    source 145
    target 193
    value 1
  ]
  edge
  [
    source 145
    target 191
    value 3
  ]
  edge
  [
    source 145
    target 93
    value 1
  ]
  edge
  [
    source 145
    target 200
    value 1
  ]
  edge
  [
    source 145
    target 39
    value 1
  ]
  edge
  [
    source 146
    target 147
    value 4
  ]
  edge
  [
    source 146
    target 142
    value 1
  ]
  edge
  [
    source 146
    target 148
    value 13
  ]
  edge
  [
    source 147
    target 122
    value 11
  ]
  edge
  [
    source 147
    target 114
    value 1
  ]
  edge
  [
    source 147
    target 150
    value 1
  ]
  edge
  [
    source 147
    target 139
    value 1
  ]
  edge
  [
    source 148
    target 122
    value 7
  ]
  edge
  [
    source 148
    target 147
    value 4
  ]
  edge
  [
    source 148
    target 199
    value 1
  ]
  edge
  [
    source 148
    target 187
    value 1
  ]
  edge
  [
    source 148
    target 219
    value 1
  ]
  edge
  [
    source 148
    target 195
    value 1
  ]
  edge
  [
    source 148
    target 193
    value 1
  ]
  edge
  [
    source 148
    target 142
    value 1
  ]
  edge
  [
    source 148
    target 205
    value 1
  ]
  edge
  [
    source 148
    target 200
    value 1
  ]
  edge
  [
    source 148
    target 39
    value 1
  ]
  edge
  [
    source 149
    target 113
    value 5
  ]
  edge
  [
    source 149
    target 216
    value 1
  ]
  edge
  [
    source 149
    target 140
    value 2
  ]
  edge
  [
    source 149
    target 141
    value 2
  ]
  edge
  [
    source 149
    target 86
    value 2
  ]
  edge
  [
    source 149
    target 117
    value 1
  ]
  edge
  [
    source 149
    target 118
    value 1
  ]
  edge
  [
    source 149
    target 4
    value 1
  ]
  edge
  [
    source 149
    target 202
    value 4
  ]
  edge
  [
    source 149
    target 199
    value 1
  ]
  edge
  [
    source 149
    target 198
    value 1
  ]
  edge
  [
    source 149
    target 123
    value 2
  ]
  edge
  [
    source 149
    target 119
    value 1
  ]
  edge
  [
    source 149
    target 145
    value 1
  ]
  edge
  [
    source 149
    target 215
    value 1
  ]
  edge
  [
    source 149
    target 104
    value 1
  ]
  edge
  [
    source 149
    target 39
    value 1
  ]
  edge
  [
    source 149
    target 39
    value 1
  ]
  edge
  [
    source 150
    target 122
    value 4
  ]
  edge
  [
    source 150
    target 28
    value 2
  ]
  edge
  [
    source 150
    target 146
    value 2
  ]
  edge
  [
    source 150
    target 147
    value 2
  ]
  edge
  [
    source 150
    target 118
    value 1
  ]
  edge
  [
    source 150
    target 202
    value 3
  ]
  edge
  [
    source 150
    target 199
    value 2
  ]
  edge
  [
    source 150
    target 98
    value 1
  ]
  edge
  [
    source 150
    target 191
    value 1
  ]
  edge
  [
    source 150
    target 142
    value 2
  ]
  edge
  [
    source 150
    target 205
    value 1
  ]
  edge
  [
    source 150
    target 87
    value 2
  ]
  edge
  [
    source 150
    target 39
    value 1
  ]
  edge
  [
    source 151
    target 159
    value 1
  ]
  edge
  [
    source 151
    target 200
    value 1
  ]
  edge
  [
    source 151
    target 44
    value 1
  ]
  edge
  [
    source 152
    target 165
    value 1
  ]
  edge
  [
    source 152
    target 249
    value 16
  ]
  edge
  [
    source 152
    target 268
    value 2
  ]
  edge
  [
    source 152
    target 44
    value 15
  ]
  edge
  [
    source 153
    target 161
    value 1
  ]
  edge
  [
    source 153
    target 166
    value 1
  ]
  edge
  [
    source 153
    target 167
    value 1
  ]
  edge
  [
    source 153
    target 249
    value 2
  ]
  edge
  [
    source 153
    target 227
    value 16
  ]
  edge
  [
    source 153
    target 44
    value 15
  ]
  edge
  [
    source 154
    target 160
    value 1
  ]
  edge
  [
    source 154
    target 197
    value 1
  ]
  edge
  [
    source 154
    target 44
    value 15
  ]
  edge
  [
    source 155
    target 161
    value 1
  ]
  edge
  [
    source 155
    target 197
    value 2
  ]
  edge
  [
    source 155
    target 189
    value 16
  ]
  edge
  [
    source 155
    target 44
    value 15
  ]
  edge
  [
    source 156
    target 189
    value 2
  ]
  edge
  [
    source 156
    target 231
    value 16
  ]
  edge
  [
    source 156
    target 44
    value 15
  ]
  edge
  [
    source 157
    target 162
    value 1
  ]
  edge
  [
    source 157
    target 231
    value 2
  ]
  edge
  [
    source 157
    target 234
    value 16
  ]
  edge
  [
    source 157
    target 44
    value 15
  ]
  edge
  [
    source 158
    target 163
    value 1
  ]
  edge
  [
    source 158
    target 234
    value 2
  ]
  edge
  [
    source 158
    target 269
    value 16
  ]
  edge
  [
    source 158
    target 44
    value 15
  ]
  edge
  [
    source 159
    target 200
    value 1
  ]
  edge
  [
    source 159
    target 197
    value 1
  ]
  edge
  [
    source 159
    target 44
    value 10
  ]
  edge
  [
    source 160
    target 219
    value 1
  ]
  edge
  [
    source 160
    target 200
    value 1
  ]
  edge
  [
    source 160
    target 197
    value 23
  ]
  edge
  [
    source 160
    target 189
    value 6
  ]
  edge
  [
    source 160
    target 44
    value 29
  ]
  edge
  [
    source 161
    target 162
    value 1
  ]
  edge
  [
    source 161
    target 233
    value 1
  ]
  edge
  [
    source 161
    target 189
    value 23
  ]
  edge
  [
    source 161
    target 231
    value 6
  ]
  edge
  [
    source 161
    target 44
    value 29
  ]
  edge
  [
    source 162
    target 163
    value 1
  ]
  edge
  [
    source 162
    target 275
    value 1
  ]
  edge
  [
    source 162
    target 231
    value 23
  ]
  edge
  [
    source 162
    target 234
    value 6
  ]
  edge
  [
    source 162
    target 269
    value 1
  ]
  edge
  [
    source 162
    target 44
    value 29
  ]
  edge
  [
    source 163
    target 164
    value 1
  ]
  edge
  [
    source 163
    target 276
    value 1
  ]
  edge
  [
    source 163
    target 269
    value 23
  ]
  edge
  [
    source 163
    target 271
    value 1
  ]
  edge
  [
    source 163
    target 44
    value 29
  ]
  edge
  [
    source 164
    target 165
    value 1
  ]
  edge
  [
    source 164
    target 276
    value 1
  ]
  edge
  [
    source 164
    target 273
    value 23
  ]
  edge
  [
    source 164
    target 268
    value 1
  ]
  edge
  [
    source 164
    target 44
    value 29
  ]
  edge
  [
    source 165
    target 166
    value 1
  ]
  edge
  [
    source 165
    target 97
    value 1
  ]
  edge
  [
    source 165
    target 249
    value 23
  ]
  edge
  [
    source 165
    target 227
    value 1
  ]
  edge
  [
    source 165
    target 44
    value 29
  ]
  edge
  [
    source 166
    target 167
    value 1
  ]
  edge
  [
    source 166
    target 97
    value 1
  ]
  edge
  [
    source 166
    target 227
    value 23
  ]
  edge
  [
    source 166
    target 221
    value 1
  ]
  edge
  [
    source 166
    target 44
    value 29
  ]
  edge
  [
    source 167
    target 97
    value 1
  ]
  edge
  [
    source 167
    target 227
    value 23
  ]
  edge
  [
    source 167
    target 221
    value 1
  ]
  edge
  [
    source 167
    target 44
    value 29
  ]
  edge
  [
    source 168
    target 156
    value 1
  ]
  edge
  [
    source 168
    target 233
    value 4
  ]
  edge
  [
    source 168
    target 275
    value 9
  ]
  edge
  [
    source 168
    target 189
    value 1
  ]
  edge
  [
    source 168
    target 231
    value 9
  ]
  edge
  [
    source 168
    target 234
    value 22
  ]
  edge
  [
    source 168
    target 269
    value 7
  ]
  edge
  [
    source 168
    target 44
    value 22
  ]
  edge
  [
    source 169
    target 270
    value 1
  ]
  edge
  [
    source 169
    target 272
    value 1
  ]
  edge
  [
    source 169
    target 276
    value 4
  ]
  edge
  [
    source 169
    target 277
    value 9
  ]
  edge
  [
    source 169
    target 234
    value 1
  ]
  edge
  [
    source 169
    target 269
    value 9
  ]
  edge
  [
    source 169
    target 271
    value 22
  ]
  edge
  [
    source 169
    target 273
    value 7
  ]
  edge
  [
    source 169
    target 44
    value 22
  ]
  edge
  [
    source 170
    target 12
    value 5
  ]
  edge
  [
    source 170
    target 2
    value 4
  ]
  edge
  [
    source 170
    target 117
    value 4
  ]
  edge
  [
    source 170
    target 118
    value 2
  ]
  edge
  [
    source 170
    target 119
    value 1
  ]
  edge
  [
    source 170
    target 255
    value 1
  ]
  edge
  [
    source 170
    target 207
    value 1
  ]
  edge
  [
    source 170
    target 256
    value 1
  ]
  edge
  [
    source 171
    target 213
    value 22
  ]
  edge
  [
    source 171
    target 137
    value 61
  ]
  edge
  [
    source 171
    target 185
    value 1
  ]
  edge
  [
    source 171
    target 125
    value 2
  ]
  edge
  [
    source 171
    target 217
    value 1
  ]
  edge
  [
    source 171
    target 42
    value 2
  ]
  edge
  [
    source 171
    target 246
    value 1
  ]
  edge
  [
    source 171
    target 190
    value 4
  ]
  edge
  [
    source 172
    target 201
    value 1
  ]
  edge
  [
    source 172
    target 151
    value 1
  ]
  edge
  [
    source 172
    target 154
    value 2
  ]
  edge
  [
    source 172
    target 12
    value 8
  ]
  edge
  [
    source 172
    target 2
    value 10
  ]
  edge
  [
    source 172
    target 84
    value 9
  ]
  edge
  [
    source 172
    target 86
    value 6
  ]
  edge
  [
    source 172
    target 117
    value 6
  ]
  edge
  [
    source 172
    target 118
    value 1
  ]
  edge
  [
    source 172
    target 3
    value 3
  ]
  edge
  [
    source 172
    target 4
    value 1
  ]
  edge
  [
    source 172
    target 187
    value 1
  ]
  edge
  [
    source 172
    target 160
    value 1
  ]
  edge
  [
    source 172
    target 232
    value 4
  ]
  edge
  [
    source 172
    target 168
    value 5
  ]
  edge
  [
    source 172
    target 192
    value 7
  ]
  edge
  [
    source 172
    target 169
    value 3
  ]
  edge
  [
    source 172
    target 253
    value 4
  ]
  edge
  [
    source 172
    target 137
    value 4
  ]
  edge
  [
    source 172
    target 129
    value 1
  ]
  edge
  [
    source 172
    target 170
    value 1
  ]
  edge
  [
    source 172
    target 185
    value 1
  ]
  edge
  [
    source 172
    target 125
    value 1
  ]
  edge
  [
    source 172
    target 42
    value 1
  ]
  edge
  [
    source 172
    target 220
    value 1
  ]
  edge
  [
    source 172
    target 96
    value 4
  ]
  edge
  [
    source 172
    target 79
    value 1
  ]
  edge
  [
    source 172
    target 254
    value 1
  ]
  edge
  [
    source 172
    target 262
    value 1
  ]
  edge
  [
    source 172
    target 263
    value 4
  ]
  edge
  [
    source 172
    target 264
    value 1
  ]
  edge
  [
    source 172
    target 265
    value 5
  ]
  edge
  [
    source 172
    target 266
    value 3
  ]
  edge
  [
    source 172
    target 267
    value 2
  ]
  edge
  [
    source 173
    target 178
    value 1
  ]
  edge
  [
    source 174
    target 190
    value 1
  ]
  edge
  [
    source 175
    target 277
    value 8
  ]
  edge
  [
    source 175
    target 176
    value 1
  ]
  edge
  [
    source 175
    target 44
    value 10
  ]
  edge
  [
    source 176
    target 97
    value 8
  ]
  edge
  [
    source 176
    target 177
    value 1
  ]
  edge
  [
    source 176
    target 249
    value 3
  ]
  edge
  [
    source 176
    target 227
    value 2
  ]
  edge
  [
    source 176
    target 44
    value 10
  ]
  edge
  [
    source 177
    target 153
    value 2
  ]
  edge
  [
    source 177
    target 166
    value 3
  ]
  edge
  [
    source 177
    target 167
    value 5
  ]
  edge
  [
    source 177
    target 253
    value 4
  ]
  edge
  [
    source 177
    target 97
    value 2
  ]
  edge
  [
    source 177
    target 170
    value 2
  ]
  edge
  [
    source 177
    target 125
    value 2
  ]
  edge
  [
    source 177
    target 172
    value 3
  ]
  edge
  [
    source 177
    target 176
    value 1
  ]
  edge
  [
    source 177
    target 221
    value 2
  ]
  edge
  [
    source 177
    target 183
    value 11
  ]
  edge
  [
    source 177
    target 44
    value 14
  ]
  edge
  [
    source 178
    target 219
    value 8
  ]
  edge
  [
    source 178
    target 179
    value 1
  ]
  edge
  [
    source 178
    target 200
    value 1
  ]
  edge
  [
    source 178
    target 197
    value 3
  ]
  edge
  [
    source 178
    target 44
    value 10
  ]
  edge
  [
    source 179
    target 219
    value 18
  ]
  edge
  [
    source 179
    target 233
    value 11
  ]
  edge
  [
    source 179
    target 180
    value 1
  ]
  edge
  [
    source 179
    target 197
    value 3
  ]
  edge
  [
    source 179
    target 189
    value 2
  ]
  edge
  [
    source 179
    target 44
    value 31
  ]
  edge
  [
    source 180
    target 233
    value 8
  ]
  edge
  [
    source 180
    target 181
    value 1
  ]
  edge
  [
    source 180
    target 231
    value 1
  ]
  edge
  [
    source 180
    target 44
    value 10
  ]
  edge
  [
    source 181
    target 275
    value 8
  ]
  edge
  [
    source 181
    target 182
    value 1
  ]
  edge
  [
    source 181
    target 231
    value 3
  ]
  edge
  [
    source 181
    target 234
    value 2
  ]
  edge
  [
    source 181
    target 44
    value 10
  ]
  edge
  [
    source 182
    target 275
    value 8
  ]
  edge
  [
    source 182
    target 188
    value 1
  ]
  edge
  [
    source 182
    target 44
    value 10
  ]
  edge
  [
    source 183
    target 177
    value 1
  ]
  edge
  [
    source 183
    target 44
    value 8
  ]
  edge
  [
    source 184
    target 12
    value 3
  ]
  edge
  [
    source 184
    target 2
    value 7
  ]
  edge
  [
    source 184
    target 117
    value 1
  ]
  edge
  [
    source 184
    target 118
    value 3
  ]
  edge
  [
    source 184
    target 98
    value 1
  ]
  edge
  [
    source 184
    target 194
    value 1
  ]
  edge
  [
    source 184
    target 172
    value 3
  ]
  edge
  [
    source 184
    target 42
    value 1
  ]
  edge
  [
    source 184
    target 256
    value 1
  ]
  edge
  [
    source 185
    target 218
    value 22
  ]
  edge
  [
    source 185
    target 137
    value 61
  ]
  edge
  [
    source 185
    target 171
    value 1
  ]
  edge
  [
    source 185
    target 172
    value 2
  ]
  edge
  [
    source 185
    target 217
    value 1
  ]
  edge
  [
    source 185
    target 42
    value 2
  ]
  edge
  [
    source 185
    target 246
    value 1
  ]
  edge
  [
    source 185
    target 190
    value 4
  ]
  edge
  [
    source 186
    target 190
    value 1
  ]
  edge
  [
    source 187
    target 151
    value 1
  ]
  edge
  [
    source 187
    target 4
    value 1
  ]
  edge
  [
    source 187
    target 199
    value 1
  ]
  edge
  [
    source 187
    target 160
    value 1
  ]
  edge
  [
    source 187
    target 219
    value 1
  ]
  edge
  [
    source 187
    target 97
    value 2
  ]
  edge
  [
    source 187
    target 111
    value 1
  ]
  edge
  [
    source 187
    target 220
    value 1
  ]
  edge
  [
    source 187
    target 173
    value 5
  ]
  edge
  [
    source 187
    target 174
    value 7
  ]
  edge
  [
    source 187
    target 221
    value 3
  ]
  edge
  [
    source 187
    target 44
    value 6
  ]
  edge
  [
    source 188
    target 276
    value 8
  ]
  edge
  [
    source 188
    target 279
    value 1
  ]
  edge
  [
    source 188
    target 269
    value 3
  ]
  edge
  [
    source 188
    target 271
    value 2
  ]
  edge
  [
    source 188
    target 44
    value 10
  ]
  edge
  [
    source 189
    target 155
    value 2
  ]
  edge
  [
    source 189
    target 237
    value 2
  ]
  edge
  [
    source 189
    target 44
    value 25
  ]
  edge
  [
    source 191
    target 113
    value 2
  ]
  edge
  [
    source 191
    target 102
    value 2
  ]
  edge
  [
    source 191
    target 108
    value 1
  ]
  edge
  [
    source 191
    target 157
    value 1
  ]
  edge
  [
    source 191
    target 116
    value 1
  ]
  edge
  [
    source 191
    target 109
    value 2
  ]
  edge
  [
    source 191
    target 146
    value 1
  ]
  edge
  [
    source 191
    target 141
    value 1
  ]
  edge
  [
    source 191
    target 117
    value 3
  ]
  edge
  [
    source 191
    target 202
    value 6
  ]
  edge
  [
    source 191
    target 119
    value 2
  ]
  edge
  [
    source 191
    target 120
    value 2
  ]
  edge
  [
    source 191
    target 110
    value 2
  ]
  edge
  [
    source 191
    target 163
    value 1
  ]
  edge
  [
    source 191
    target 142
    value 3
  ]
  edge
  [
    source 191
    target 215
    value 3
  ]
  edge
  [
    source 191
    target 132
    value 2
  ]
  edge
  [
    source 191
    target 173
    value 1
  ]
  edge
  [
    source 191
    target 186
    value 3
  ]
  edge
  [
    source 191
    target 182
    value 1
  ]
  edge
  [
    source 191
    target 238
    value 2
  ]
  edge
  [
    source 191
    target 244
    value 10
  ]
  edge
  [
    source 191
    target 44
    value 3
  ]
  edge
  [
    source 191
    target 44
    value 22
  ]
  edge
  [
    source 192
    target 157
    value 1
  ]
  edge
  [
    source 192
    target 158
    value 1
  ]
  edge
  [
    source 192
    target 275
    value 4
  ]
  edge
  [
    source 192
    target 276
    value 9
  ]
  edge
  [
    source 192
    target 231
    value 1
  ]
  edge
  [
    source 192
    target 234
    value 9
  ]
  edge
  [
    source 192
    target 269
    value 22
  ]
  edge
  [
    source 192
    target 271
    value 7
  ]
  edge
  [
    source 192
    target 44
    value 22
  ]
  edge
  [
    source 193
    target 1
    value 1
  ]
  edge
  [
    source 193
    target 114
    value 3
  ]
  edge
  [
    source 193
    target 12
    value 5
  ]
  edge
  [
    source 193
    target 2
    value 7
  ]
  edge
  [
    source 193
    target 84
    value 1
  ]
  edge
  [
    source 193
    target 213
    value 2
  ]
  edge
  [
    source 193
    target 218
    value 1
  ]
  edge
  [
    source 193
    target 195
    value 1
  ]
  edge
  [
    source 193
    target 14
    value 1
  ]
  edge
  [
    source 193
    target 8
    value 5
  ]
  edge
  [
    source 193
    target 9
    value 5
  ]
  edge
  [
    source 193
    target 214
    value 2
  ]
  edge
  [
    source 193
    target 210
    value 4
  ]
  edge
  [
    source 194
    target 12
    value 7
  ]
  edge
  [
    source 194
    target 2
    value 7
  ]
  edge
  [
    source 194
    target 118
    value 23
  ]
  edge
  [
    source 194
    target 226
    value 1
  ]
  edge
  [
    source 194
    target 170
    value 1
  ]
  edge
  [
    source 194
    target 204
    value 1
  ]
  edge
  [
    source 195
    target 1
    value 2
  ]
  edge
  [
    source 195
    target 114
    value 5
  ]
  edge
  [
    source 195
    target 213
    value 7
  ]
  edge
  [
    source 195
    target 218
    value 7
  ]
  edge
  [
    source 195
    target 187
    value 2
  ]
  edge
  [
    source 195
    target 166
    value 2
  ]
  edge
  [
    source 195
    target 97
    value 1
  ]
  edge
  [
    source 195
    target 97
    value 3
  ]
  edge
  [
    source 195
    target 193
    value 5
  ]
  edge
  [
    source 195
    target 250
    value 1
  ]
  edge
  [
    source 195
    target 111
    value 2
  ]
  edge
  [
    source 195
    target 8
    value 2
  ]
  edge
  [
    source 195
    target 9
    value 3
  ]
  edge
  [
    source 195
    target 59
    value 1
  ]
  edge
  [
    source 195
    target 64
    value 1
  ]
  edge
  [
    source 195
    target 214
    value 2
  ]
  edge
  [
    source 195
    target 210
    value 4
  ]
  edge
  [
    source 195
    target 85
    value 1
  ]
  edge
  [
    source 195
    target 44
    value 5
  ]
  edge
  [
    source 195
    target 190
    value 5
  ]
  edge
  [
    source 196
    target 219
    value 8
  ]
  edge
  [
    source 196
    target 178
    value 1
  ]
  edge
  [
    source 196
    target 133
    value 1
  ]
  edge
  [
    source 196
    target 200
    value 3
  ]
  edge
  [
    source 196
    target 44
    value 10
  ]
  edge
  [
    source 197
    target 155
    value 2
  ]
  edge
  [
    source 197
    target 237
    value 2
  ]
  edge
  [
    source 197
    target 44
    value 8
  ]
  edge
  [
    source 198
    target 105
    value 3
  ]
  edge
  [
    source 198
    target 86
    value 2
  ]
  edge
  [
    source 198
    target 117
    value 1
  ]
  edge
  [
    source 198
    target 199
    value 5
  ]
  edge
  [
    source 198
    target 123
    value 2
  ]
  edge
  [
    source 198
    target 119
    value 4
  ]
  edge
  [
    source 198
    target 98
    value 1
  ]
  edge
  [
    source 198
    target 110
    value 1
  ]
  edge
  [
    source 198
    target 111
    value 1
  ]
  edge
  [
    source 198
    target 148
    value 2
  ]
  edge
  [
    source 198
    target 130
    value 1
  ]
  edge
  [
    source 198
    target 103
    value 3
  ]
  edge
  [
    source 198
    target 85
    value 2
  ]
  edge
  [
    source 198
    target 112
    value 2
  ]
  edge
  [
    source 198
    target 200
    value 1
  ]
  edge
  [
    source 199
    target 84
    value 1
  ]
  edge
  [
    source 199
    target 86
    value 8
  ]
  edge
  [
    source 199
    target 202
    value 4
  ]
  edge
  [
    source 199
    target 226
    value 2
  ]
  edge
  [
    source 199
    target 123
    value 5
  ]
  edge
  [
    source 199
    target 119
    value 4
  ]
  edge
  [
    source 199
    target 187
    value 1
  ]
  edge
  [
    source 199
    target 142
    value 2
  ]
  edge
  [
    source 199
    target 185
    value 1
  ]
  edge
  [
    source 199
    target 145
    value 1
  ]
  edge
  [
    source 199
    target 227
    value 1
  ]
  edge
  [
    source 199
    target 44
    value 2
  ]
  edge
  [
    source 200
    target 219
    value 1
  ]
  edge
  [
    source 200
    target 196
    value 2
  ]
  edge
  [
    source 200
    target 44
    value 8
  ]
  edge
  [
    source 201
    target 12
    value 5
  ]
  edge
  [
    source 201
    target 2
    value 3
  ]
  edge
  [
    source 201
    target 84
    value 4
  ]
  edge
  [
    source 201
    target 86
    value 5
  ]
  edge
  [
    source 201
    target 117
    value 1
  ]
  edge
  [
    source 201
    target 118
    value 1
  ]
  edge
  [
    source 201
    target 119
    value 1
  ]
  edge
  [
    source 201
    target 0
    value 2
  ]
  edge
  [
    source 201
    target 5
    value 2
  ]
  edge
  [
    source 201
    target 137
    value 1
  ]
  edge
  [
    source 201
    target 125
    value 1
  ]
  edge
  [
    source 201
    target 172
    value 2
  ]
  edge
  [
    source 201
    target 203
    value 1
  ]
  edge
  [
    source 201
    target 13
    value 3
  ]
  edge
  [
    source 201
    target 6
    value 2
  ]
  edge
  [
    source 201
    target 65
    value 1
  ]
  edge
  [
    source 202
    target 84
    value 5
  ]
  edge
  [
    source 202
    target 199
    value 5
  ]
  edge
  [
    source 202
    target 226
    value 2
  ]
  edge
  [
    source 202
    target 123
    value 6
  ]
  edge
  [
    source 202
    target 98
    value 4
  ]
  edge
  [
    source 202
    target 187
    value 1
  ]
  edge
  [
    source 202
    target 191
    value 1
  ]
  edge
  [
    source 202
    target 171
    value 1
  ]
  edge
  [
    source 202
    target 145
    value 2
  ]
  edge
  [
    source 202
    target 133
    value 1
  ]
  edge
  [
    source 202
    target 227
    value 1
  ]
  edge
  [
    source 202
    target 44
    value 2
  ]
  edge
  [
    source 203
    target 101
    value 1
  ]
  edge
  [
    source 203
    target 201
    value 1
  ]
  edge
  [
    source 203
    target 12
    value 2
  ]
  edge
  [
    source 203
    target 2
    value 2
  ]
  edge
  [
    source 203
    target 84
    value 5
  ]
  edge
  [
    source 203
    target 86
    value 6
  ]
  edge
  [
    source 203
    target 118
    value 2
  ]
  edge
  [
    source 203
    target 4
    value 1
  ]
  edge
  [
    source 203
    target 123
    value 2
  ]
  edge
  [
    source 203
    target 187
    value 4
  ]
  edge
  [
    source 203
    target 233
    value 1
  ]
  edge
  [
    source 203
    target 193
    value 2
  ]
  edge
  [
    source 203
    target 172
    value 4
  ]
  edge
  [
    source 203
    target 148
    value 1
  ]
  edge
  [
    source 203
    target 8
    value 2
  ]
  edge
  [
    source 203
    target 190
    value 3
  ]
  edge
  [
    source 204
    target 2
    value 6
  ]
  edge
  [
    source 204
    target 86
    value 3
  ]
  edge
  [
    source 204
    target 118
    value 6
  ]
  edge
  [
    source 204
    target 4
    value 3
  ]
  edge
  [
    source 204
    target 199
    value 1
  ]
  edge
  [
    source 204
    target 226
    value 1
  ]
  edge
  [
    source 204
    target 119
    value 2
  ]
  edge
  [
    source 204
    target 98
    value 7
  ]
  edge
  [
    source 204
    target 187
    value 4
  ]
  edge
  [
    source 204
    target 225
    value 2
  ]
  edge
  [
    source 204
    target 95
    value 3
  ]
  edge
  [
    source 204
    target 219
    value 2
  ]
  edge
  [
    source 204
    target 233
    value 1
  ]
  edge
  [
    source 204
    target 194
    value 3
  ]
  edge
  [
    source 204
    target 172
    value 2
  ]
  edge
  [
    source 204
    target 207
    value 5
  ]
  edge
  [
    source 204
    target 252
    value 2
  ]
  edge
  [
    source 204
    target 220
    value 3
  ]
  edge
  [
    source 204
    target 205
    value 1
  ]
  edge
  [
    source 204
    target 238
    value 2
  ]
  edge
  [
    source 204
    target 245
    value 1
  ]
  edge
  [
    source 204
    target 221
    value 1
  ]
  edge
  [
    source 204
    target 189
    value 2
  ]
  edge
  [
    source 204
    target 231
    value 4
  ]
  edge
  [
    source 204
    target 44
    value 7
  ]
  edge
  [
    source 204
    target 190
    value 2
  ]
  edge
  [
    source 205
    target 109
    value 2
  ]
  edge
  [
    source 205
    target 84
    value 1
  ]
  edge
  [
    source 205
    target 86
    value 16
  ]
  edge
  [
    source 205
    target 202
    value 1
  ]
  edge
  [
    source 205
    target 198
    value 1
  ]
  edge
  [
    source 205
    target 119
    value 1
  ]
  edge
  [
    source 205
    target 98
    value 2
  ]
  edge
  [
    source 205
    target 142
    value 1
  ]
  edge
  [
    source 205
    target 125
    value 1
  ]
  edge
  [
    source 205
    target 172
    value 1
  ]
  edge
  [
    source 205
    target 111
    value 4
  ]
  edge
  [
    source 205
    target 130
    value 4
  ]
  edge
  [
    source 205
    target 33
    value 1
  ]
  edge
  [
    source 206
    target 67
    value 3
  ]
  edge
  [
    source 206
    target 84
    value 6
  ]
  edge
  [
    source 206
    target 86
    value 5
  ]
  edge
  [
    source 206
    target 98
    value 1
  ]
  edge
  [
    source 206
    target 225
    value 3
  ]
  edge
  [
    source 206
    target 95
    value 4
  ]
  edge
  [
    source 206
    target 159
    value 1
  ]
  edge
  [
    source 206
    target 159
    value 1
  ]
  edge
  [
    source 206
    target 125
    value 4
  ]
  edge
  [
    source 206
    target 172
    value 6
  ]
  edge
  [
    source 206
    target 42
    value 3
  ]
  edge
  [
    source 206
    target 96
    value 1
  ]
  edge
  [
    source 206
    target 78
    value 1
  ]
  edge
  [
    source 207
    target 2
    value 6
  ]
  edge
  [
    source 207
    target 86
    value 3
  ]
  edge
  [
    source 207
    target 118
    value 6
  ]
  edge
  [
    source 207
    target 4
    value 3
  ]
  edge
  [
    source 207
    target 199
    value 1
  ]
  edge
  [
    source 207
    target 226
    value 1
  ]
  edge
  [
    source 207
    target 119
    value 3
  ]
  edge
  [
    source 207
    target 98
    value 7
  ]
  edge
  [
    source 207
    target 187
    value 4
  ]
  edge
  [
    source 207
    target 95
    value 3
  ]
  edge
  [
    source 207
    target 219
    value 2
  ]
  edge
  [
    source 207
    target 233
    value 1
  ]
  edge
  [
    source 207
    target 194
    value 3
  ]
  edge
  [
    source 207
    target 172
    value 2
  ]
  edge
  [
    source 207
    target 204
    value 4
  ]
  edge
  [
    source 207
    target 252
    value 2
  ]
  edge
  [
    source 207
    target 256
    value 3
  ]
  edge
  [
    source 207
    target 205
    value 1
  ]
  edge
  [
    source 207
    target 238
    value 2
  ]
  edge
  [
    source 207
    target 245
    value 1
  ]
  edge
  [
    source 207
    target 221
    value 1
  ]
  edge
  [
    source 207
    target 189
    value 2
  ]
  edge
  [
    source 207
    target 231
    value 4
  ]
  edge
  [
    source 207
    target 44
    value 7
  ]
  edge
  [
    source 207
    target 190
    value 2
  ]
  edge
  [
    source 208
    target 101
    value 1
  ]
  edge
  [
    source 208
    target 126
    value 5
  ]
  edge
  [
    source 208
    target 10
    value 1
  ]
  edge
  [
    source 208
    target 102
    value 10
  ]
  edge
  [
    source 208
    target 135
    value 4
  ]
  edge
  [
    source 208
    target 140
    value 1
  ]
  edge
  [
    source 208
    target 120
    value 1
  ]
  edge
  [
    source 209
    target 13
    value 2
  ]
  edge
  [
    source 209
    target 6
    value 2
  ]
  edge
  [
    source 209
    target 23
    value 1
  ]
  edge
  [
    source 209
    target 48
    value 1
  ]
  edge
  [
    source 209
    target 46
    value 1
  ]
  edge
  [
    source 209
    target 64
    value 1
  ]
  edge
  [
    source 209
    target 131
    value 2
  ]
  edge
  [
    source 209
    target 25
    value 2
  ]
  edge
  [
    source 209
    target 73
    value 2
  ]
  edge
  [
    source 209
    target 75
    value 2
  ]
  edge
  [
    source 209
    target 44
    value 5
  ]
  edge
  [
    source 210
    target 114
    value 1
  ]
  edge
  [
    source 210
    target 213
    value 1
  ]
  edge
  [
    source 210
    target 218
    value 3
  ]
  edge
  [
    source 210
    target 48
    value 2
  ]
  edge
  [
    source 210
    target 44
    value 4
  ]
  edge
  [
    source 211
    target 12
    value 15
  ]
  edge
  [
    source 211
    target 31
    value 1
  ]
  edge
  [
    source 211
    target 132
    value 2
  ]
  edge
  [
    source 211
    target 130
    value 9
  ]
  edge
  [
    source 211
    target 210
    value 2
  ]
  edge
  [
    source 211
    target 74
    value 6
  ]
  edge
  [
    source 212
    target 2
    value 11
  ]
  edge
  [
    source 212
    target 132
    value 4
  ]
  edge
  [
    source 212
    target 130
    value 1
  ]
  edge
  [
    source 212
    target 73
    value 6
  ]
  edge
  [
    source 213
    target 84
    value 1
  ]
  edge
  [
    source 213
    target 3
    value 2
  ]
  edge
  [
    source 213
    target 4
    value 1
  ]
  edge
  [
    source 213
    target 206
    value 1
  ]
  edge
  [
    source 213
    target 137
    value 1
  ]
  edge
  [
    source 213
    target 185
    value 4
  ]
  edge
  [
    source 213
    target 217
    value 1
  ]
  edge
  [
    source 213
    target 148
    value 1
  ]
  edge
  [
    source 213
    target 132
    value 2
  ]
  edge
  [
    source 213
    target 130
    value 1
  ]
  edge
  [
    source 213
    target 72
    value 1
  ]
  edge
  [
    source 213
    target 37
    value 1
  ]
  edge
  [
    source 213
    target 190
    value 5
  ]
  edge
  [
    source 214
    target 1
    value 1
  ]
  edge
  [
    source 214
    target 213
    value 1
  ]
  edge
  [
    source 214
    target 218
    value 4
  ]
  edge
  [
    source 214
    target 47
    value 5
  ]
  edge
  [
    source 214
    target 48
    value 1
  ]
  edge
  [
    source 214
    target 87
    value 1
  ]
  edge
  [
    source 214
    target 44
    value 5
  ]
  edge
  [
    source 215
    target 216
    value 2
  ]
  edge
  [
    source 215
    target 84
    value 10
  ]
  edge
  [
    source 215
    target 86
    value 1
  ]
  edge
  [
    source 215
    target 123
    value 1
  ]
  edge
  [
    source 215
    target 98
    value 2
  ]
  edge
  [
    source 215
    target 203
    value 3
  ]
  edge
  [
    source 215
    target 132
    value 2
  ]
  edge
  [
    source 215
    target 130
    value 1
  ]
  edge
  [
    source 216
    target 118
    value 1
  ]
  edge
  [
    source 216
    target 3
    value 1
  ]
  edge
  [
    source 216
    target 225
    value 5
  ]
  edge
  [
    source 216
    target 71
    value 3
  ]
  edge
  [
    source 216
    target 15
    value 1
  ]
  edge
  [
    source 216
    target 125
    value 4
  ]
  edge
  [
    source 216
    target 172
    value 2
  ]
  edge
  [
    source 216
    target 35
    value 1
  ]
  edge
  [
    source 216
    target 93
    value 1
  ]
  edge
  [
    source 216
    target 239
    value 1
  ]
  edge
  [
    source 217
    target 213
    value 11
  ]
  edge
  [
    source 217
    target 206
    value 1
  ]
  edge
  [
    source 217
    target 137
    value 3
  ]
  edge
  [
    source 217
    target 171
    value 10
  ]
  edge
  [
    source 217
    target 125
    value 2
  ]
  edge
  [
    source 217
    target 42
    value 2
  ]
  edge
  [
    source 217
    target 190
    value 1
  ]
  edge
  [
    source 218
    target 137
    value 1
  ]
  edge
  [
    source 218
    target 171
    value 4
  ]
  edge
  [
    source 218
    target 217
    value 1
  ]
  edge
  [
    source 218
    target 203
    value 1
  ]
  edge
  [
    source 218
    target 145
    value 1
  ]
  edge
  [
    source 218
    target 132
    value 3
  ]
  edge
  [
    source 218
    target 130
    value 3
  ]
  edge
  [
    source 218
    target 131
    value 1
  ]
  edge
  [
    source 218
    target 85
    value 1
  ]
  edge
  [
    source 218
    target 73
    value 1
  ]
  edge
  [
    source 218
    target 74
    value 2
  ]
  edge
  [
    source 218
    target 75
    value 1
  ]
  edge
  [
    source 218
    target 190
    value 5
  ]
  edge
  [
    source 219
    target 159
    value 2
  ]
  edge
  [
    source 219
    target 200
    value 1
  ]
  edge
  [
    source 219
    target 197
    value 1
  ]
  edge
  [
    source 219
    target 44
    value 29
  ]
  edge
  [
    source 220
    target 2
    value 1
  ]
  edge
  [
    source 220
    target 118
    value 1
  ]
  edge
  [
    source 220
    target 119
    value 1
  ]
  edge
  [
    source 220
    target 172
    value 1
  ]
  edge
  [
    source 220
    target 252
    value 3
  ]
  edge
  [
    source 220
    target 256
    value 1
  ]
  edge
  [
    source 220
    target 177
    value 1
  ]
  edge
  [
    source 221
    target 177
    value 1
  ]
  edge
  [
    source 221
    target 44
    value 8
  ]
  edge
  [
    source 222
    target 72
    value 3
  ]
  edge
  [
    source 222
    target 112
    value 5
  ]
  edge
  [
    source 223
    target 131
    value 5
  ]
  edge
  [
    source 223
    target 104
    value 6
  ]
  edge
  [
    source 224
    target 67
    value 2
  ]
  edge
  [
    source 224
    target 114
    value 1
  ]
  edge
  [
    source 224
    target 12
    value 10
  ]
  edge
  [
    source 224
    target 2
    value 4
  ]
  edge
  [
    source 224
    target 84
    value 4
  ]
  edge
  [
    source 224
    target 86
    value 2
  ]
  edge
  [
    source 224
    target 117
    value 10
  ]
  edge
  [
    source 224
    target 118
    value 2
  ]
  edge
  [
    source 224
    target 3
    value 3
  ]
  edge
  [
    source 224
    target 4
    value 2
  ]
  edge
  [
    source 224
    target 137
    value 1
  ]
  edge
  [
    source 224
    target 129
    value 1
  ]
  edge
  [
    source 224
    target 125
    value 2
  ]
  edge
  [
    source 224
    target 133
    value 1
  ]
  edge
  [
    source 224
    target 190
    value 3
  ]
  edge
  [
    source 225
    target 63
    value 4
  ]
  edge
  [
    source 225
    target 2
    value 2
  ]
  edge
  [
    source 225
    target 198
    value 1
  ]
  edge
  [
    source 225
    target 98
    value 1
  ]
  edge
  [
    source 225
    target 191
    value 4
  ]
  edge
  [
    source 225
    target 125
    value 2
  ]
  edge
  [
    source 225
    target 207
    value 1
  ]
  edge
  [
    source 225
    target 204
    value 2
  ]
  edge
  [
    source 225
    target 131
    value 2
  ]
  edge
  [
    source 225
    target 56
    value 1
  ]
  edge
  [
    source 225
    target 39
    value 1
  ]
  edge
  [
    source 226
    target 12
    value 3
  ]
  edge
  [
    source 226
    target 2
    value 1
  ]
  edge
  [
    source 226
    target 84
    value 4
  ]
  edge
  [
    source 226
    target 117
    value 1
  ]
  edge
  [
    source 226
    target 118
    value 1
  ]
  edge
  [
    source 226
    target 4
    value 1
  ]
  edge
  [
    source 226
    target 202
    value 1
  ]
  edge
  [
    source 226
    target 98
    value 1
  ]
  edge
  [
    source 226
    target 166
    value 1
  ]
  edge
  [
    source 226
    target 166
    value 1
  ]
  edge
  [
    source 226
    target 195
    value 1
  ]
  edge
  [
    source 226
    target 228
    value 2
  ]
  edge
  [
    source 226
    target 229
    value 1
  ]
  edge
  [
    source 226
    target 125
    value 1
  ]
  edge
  [
    source 226
    target 172
    value 1
  ]
  edge
  [
    source 226
    target 207
    value 2
  ]
  edge
  [
    source 226
    target 204
    value 2
  ]
  edge
  [
    source 226
    target 203
    value 1
  ]
  edge
  [
    source 226
    target 111
    value 1
  ]
  edge
  [
    source 226
    target 145
    value 1
  ]
  edge
  [
    source 226
    target 148
    value 1
  ]
  edge
  [
    source 226
    target 176
    value 1
  ]
  edge
  [
    source 226
    target 176
    value 1
  ]
  edge
  [
    source 226
    target 190
    value 1
  ]
  edge
  [
    source 226
    target 190
    value 1
  ]
  edge
  [
    source 227
    target 44
    value 8
  ]
  edge
  [
    source 228
    target 118
    value 1
  ]
  edge
  [
    source 228
    target 202
    value 3
  ]
  edge
  [
    source 228
    target 226
    value 5
  ]
  edge
  [
    source 228
    target 198
    value 1
  ]
  edge
  [
    source 228
    target 123
    value 1
  ]
  edge
  [
    source 228
    target 166
    value 1
  ]
  edge
  [
    source 228
    target 137
    value 2
  ]
  edge
  [
    source 228
    target 229
    value 5
  ]
  edge
  [
    source 228
    target 255
    value 5
  ]
  edge
  [
    source 228
    target 257
    value 4
  ]
  edge
  [
    source 228
    target 145
    value 2
  ]
  edge
  [
    source 229
    target 226
    value 3
  ]
  edge
  [
    source 229
    target 123
    value 1
  ]
  edge
  [
    source 229
    target 137
    value 2
  ]
  edge
  [
    source 229
    target 228
    value 6
  ]
  edge
  [
    source 229
    target 255
    value 1
  ]
  edge
  [
    source 229
    target 257
    value 5
  ]
  edge
  [
    source 229
    target 145
    value 2
  ]
  edge
  [
    source 230
    target 151
    value 1
  ]
  edge
  [
    source 230
    target 154
    value 1
  ]
  edge
  [
    source 230
    target 219
    value 4
  ]
  edge
  [
    source 230
    target 200
    value 1
  ]
  edge
  [
    source 230
    target 197
    value 9
  ]
  edge
  [
    source 230
    target 189
    value 22
  ]
  edge
  [
    source 230
    target 231
    value 7
  ]
  edge
  [
    source 230
    target 44
    value 22
  ]
  edge
  [
    source 231
    target 44
    value 25
  ]
  edge
  [
    source 232
    target 155
    value 1
  ]
  edge
  [
    source 232
    target 219
    value 1
  ]
  edge
  [
    source 232
    target 233
    value 4
  ]
  edge
  [
    source 232
    target 197
    value 1
  ]
  edge
  [
    source 232
    target 189
    value 9
  ]
  edge
  [
    source 232
    target 231
    value 22
  ]
  edge
  [
    source 232
    target 234
    value 7
  ]
  edge
  [
    source 232
    target 44
    value 22
  ]
  edge
  [
    source 233
    target 161
    value 2
  ]
  edge
  [
    source 233
    target 189
    value 1
  ]
  edge
  [
    source 233
    target 231
    value 1
  ]
  edge
  [
    source 233
    target 44
    value 29
  ]
  edge
  [
    source 234
    target 44
    value 25
  ]
  edge
  [
    source 235
    target 211
    value 3
  ]
  edge
  [
    source 235
    target 85
    value 2
  ]
  edge
  [
    source 235
    target 77
    value 1
  ]
  edge
  [
    source 236
    target 36
    value 1
  ]
  edge
  [
    source 236
    target 212
    value 3
  ]
  edge
  [
    source 236
    target 89
    value 1
  ]
  edge
  [
    source 236
    target 74
    value 1
  ]
  edge
  [
    source 236
    target 77
    value 1
  ]
  edge
  [
    source 237
    target 219
    value 19
  ]
  edge
  [
    source 237
    target 233
    value 1
  ]
  edge
  [
    source 237
    target 178
    value 1
  ]
  edge
  [
    source 237
    target 238
    value 1
  ]
  edge
  [
    source 237
    target 197
    value 6
  ]
  edge
  [
    source 237
    target 189
    value 4
  ]
  edge
  [
    source 237
    target 44
    value 23
  ]
  edge
  [
    source 238
    target 233
    value 4
  ]
  edge
  [
    source 238
    target 142
    value 1
  ]
  edge
  [
    source 238
    target 200
    value 1
  ]
  edge
  [
    source 238
    target 231
    value 2
  ]
  edge
  [
    source 238
    target 44
    value 2
  ]
  edge
  [
    source 238
    target 44
    value 8
  ]
  edge
  [
    source 239
    target 114
    value 1
  ]
  edge
  [
    source 239
    target 216
    value 1
  ]
  edge
  [
    source 239
    target 12
    value 2
  ]
  edge
  [
    source 239
    target 2
    value 3
  ]
  edge
  [
    source 239
    target 3
    value 1
  ]
  edge
  [
    source 239
    target 129
    value 1
  ]
  edge
  [
    source 239
    target 21
    value 1
  ]
  edge
  [
    source 239
    target 90
    value 2
  ]
  edge
  [
    source 239
    target 214
    value 1
  ]
  edge
  [
    source 240
    target 95
    value 5
  ]
  edge
  [
    source 240
    target 58
    value 1
  ]
  edge
  [
    source 240
    target 27
    value 1
  ]
  edge
  [
    source 240
    target 172
    value 2
  ]
  edge
  [
    source 240
    target 23
    value 1
  ]
  edge
  [
    source 240
    target 88
    value 1
  ]
  edge
  [
    source 241
    target 16
    value 1
  ]
  edge
  [
    source 241
    target 1
    value 2
  ]
  edge
  [
    source 241
    target 12
    value 2
  ]
  edge
  [
    source 241
    target 84
    value 5
  ]
  edge
  [
    source 241
    target 86
    value 4
  ]
  edge
  [
    source 241
    target 137
    value 3
  ]
  edge
  [
    source 241
    target 24
    value 2
  ]
  edge
  [
    source 241
    target 36
    value 1
  ]
  edge
  [
    source 242
    target 190
    value 1
  ]
  edge
  [
    source 243
    target 190
    value 1
  ]
  edge
  [
    source 244
    target 202
    value 1
  ]
  edge
  [
    source 244
    target 199
    value 1
  ]
  edge
  [
    source 244
    target 195
    value 1
  ]
  edge
  [
    source 244
    target 193
    value 2
  ]
  edge
  [
    source 244
    target 245
    value 1
  ]
  edge
  [
    source 244
    target 283
    value 1
  ]
  edge
  [
    source 244
    target 44
    value 10
  ]
  edge
  [
    source 245
    target 187
    value 1
  ]
  edge
  [
    source 245
    target 219
    value 2
  ]
  edge
  [
    source 245
    target 233
    value 4
  ]
  edge
  [
    source 245
    target 275
    value 4
  ]
  edge
  [
    source 245
    target 276
    value 10
  ]
  edge
  [
    source 245
    target 142
    value 1
  ]
  edge
  [
    source 245
    target 148
    value 3
  ]
  edge
  [
    source 245
    target 252
    value 1
  ]
  edge
  [
    source 245
    target 282
    value 2
  ]
  edge
  [
    source 245
    target 238
    value 1
  ]
  edge
  [
    source 245
    target 283
    value 1
  ]
  edge
  [
    source 245
    target 200
    value 1
  ]
  edge
  [
    source 245
    target 197
    value 1
  ]
  edge
  [
    source 245
    target 189
    value 1
  ]
  edge
  [
    source 245
    target 231
    value 2
  ]
  edge
  [
    source 245
    target 234
    value 4
  ]
  edge
  [
    source 245
    target 269
    value 3
  ]
  edge
  [
    source 245
    target 271
    value 5
  ]
  edge
  [
    source 245
    target 44
    value 8
  ]
  edge
  [
    source 246
    target 277
    value 8
  ]
  edge
  [
    source 246
    target 175
    value 1
  ]
  edge
  [
    source 246
    target 273
    value 3
  ]
  edge
  [
    source 246
    target 268
    value 2
  ]
  edge
  [
    source 246
    target 44
    value 30
  ]
  edge
  [
    source 247
    target 12
    value 27
  ]
  edge
  [
    source 247
    target 137
    value 3
  ]
  edge
  [
    source 247
    target 172
    value 28
  ]
  edge
  [
    source 247
    target 248
    value 1
  ]
  edge
  [
    source 247
    target 190
    value 1
  ]
  edge
  [
    source 248
    target 2
    value 27
  ]
  edge
  [
    source 248
    target 137
    value 3
  ]
  edge
  [
    source 248
    target 125
    value 28
  ]
  edge
  [
    source 248
    target 247
    value 1
  ]
  edge
  [
    source 248
    target 190
    value 1
  ]
  edge
  [
    source 249
    target 44
    value 8
  ]
  edge
  [
    source 250
    target 167
    value 1
  ]
  edge
  [
    source 250
    target 97
    value 1
  ]
  edge
  [
    source 250
    target 204
    value 1
  ]
  edge
  [
    source 250
    target 44
    value 1
  ]
  edge
  [
    source 251
    target 97
    value 1
  ]
  edge
  [
    source 251
    target 44
    value 1
  ]
  edge
  [
    source 252
    target 190
    value 1
  ]
  edge
  [
    source 253
    target 152
    value 1
  ]
  edge
  [
    source 253
    target 153
    value 1
  ]
  edge
  [
    source 253
    target 97
    value 4
  ]
  edge
  [
    source 253
    target 249
    value 22
  ]
  edge
  [
    source 253
    target 227
    value 7
  ]
  edge
  [
    source 253
    target 273
    value 1
  ]
  edge
  [
    source 253
    target 268
    value 9
  ]
  edge
  [
    source 253
    target 44
    value 22
  ]
  edge
  [
    source 254
    target 97
    value 15
  ]
  edge
  [
    source 254
    target 177
    value 1
  ]
  edge
  [
    source 254
    target 44
    value 18
  ]
  edge
  [
    source 255
    target 12
    value 9
  ]
  edge
  [
    source 255
    target 2
    value 6
  ]
  edge
  [
    source 255
    target 117
    value 1
  ]
  edge
  [
    source 255
    target 257
    value 1
  ]
  edge
  [
    source 255
    target 125
    value 13
  ]
  edge
  [
    source 255
    target 177
    value 2
  ]
  edge
  [
    source 256
    target 12
    value 1
  ]
  edge
  [
    source 256
    target 117
    value 1
  ]
  edge
  [
    source 256
    target 98
    value 1
  ]
  edge
  [
    source 256
    target 125
    value 1
  ]
  edge
  [
    source 256
    target 252
    value 3
  ]
  edge
  [
    source 256
    target 220
    value 1
  ]
  edge
  [
    source 256
    target 177
    value 1
  ]
  edge
  [
    source 257
    target 12
    value 7
  ]
  edge
  [
    source 257
    target 2
    value 7
  ]
  edge
  [
    source 257
    target 117
    value 1
  ]
  edge
  [
    source 257
    target 118
    value 1
  ]
  edge
  [
    source 257
    target 255
    value 1
  ]
  edge
  [
    source 257
    target 125
    value 6
  ]
  edge
  [
    source 257
    target 172
    value 3
  ]
  edge
  [
    source 257
    target 177
    value 1
  ]
  edge
  [
    source 258
    target 12
    value 1
  ]
  edge
  [
    source 258
    target 137
    value 5
  ]
  edge
  [
    source 258
    target 170
    value 1
  ]
  edge
  [
    source 258
    target 125
    value 2
  ]
  edge
  [
    source 258
    target 177
    value 1
  ]
  edge
  [
    source 259
    target 123
    value 1
  ]
  edge
  [
    source 259
    target 167
    value 6
  ]
  edge
  [
    source 259
    target 137
    value 7
  ]
  edge
  [
    source 259
    target 184
    value 1
  ]
  edge
  [
    source 259
    target 258
    value 1
  ]
  edge
  [
    source 259
    target 172
    value 8
  ]
  edge
  [
    source 259
    target 177
    value 1
  ]
  edge
  [
    source 260
    target 191
    value 2
  ]
  edge
  [
    source 261
    target 12
    value 5
  ]
  edge
  [
    source 261
    target 117
    value 4
  ]
  edge
  [
    source 261
    target 137
    value 5
  ]
  edge
  [
    source 261
    target 142
    value 2
  ]
  edge
  [
    source 261
    target 185
    value 5
  ]
  edge
  [
    source 261
    target 172
    value 1
  ]
  edge
  [
    source 262
    target 233
    value 15
  ]
  edge
  [
    source 262
    target 44
    value 18
  ]
  edge
  [
    source 263
    target 233
    value 6
  ]
  edge
  [
    source 263
    target 275
    value 15
  ]
  edge
  [
    source 263
    target 44
    value 18
  ]
  edge
  [
    source 264
    target 275
    value 15
  ]
  edge
  [
    source 264
    target 44
    value 18
  ]
  edge
  [
    source 265
    target 275
    value 6
  ]
  edge
  [
    source 265
    target 276
    value 15
  ]
  edge
  [
    source 265
    target 44
    value 18
  ]
  edge
  [
    source 266
    target 276
    value 15
  ]
  edge
  [
    source 266
    target 44
    value 18
  ]
  edge
  [
    source 267
    target 276
    value 6
  ]
  edge
  [
    source 267
    target 277
    value 15
  ]
  edge
  [
    source 267
    target 44
    value 18
  ]
  edge
  [
    source 268
    target 44
    value 25
  ]
  edge
  [
    source 269
    target 44
    value 25
  ]
  edge
  [
    source 270
    target 269
    value 2
  ]
  edge
  [
    source 270
    target 271
    value 16
  ]
  edge
  [
    source 270
    target 44
    value 15
  ]
  edge
  [
    source 271
    target 44
    value 25
  ]
  edge
  [
    source 272
    target 164
    value 1
  ]
  edge
  [
    source 272
    target 271
    value 2
  ]
  edge
  [
    source 272
    target 273
    value 16
  ]
  edge
  [
    source 272
    target 44
    value 15
  ]
  edge
  [
    source 273
    target 44
    value 25
  ]
  edge
  [
    source 274
    target 273
    value 2
  ]
  edge
  [
    source 274
    target 268
    value 16
  ]
  edge
  [
    source 274
    target 44
    value 15
  ]
  edge
  [
    source 275
    target 162
    value 2
  ]
  edge
  [
    source 275
    target 234
    value 1
  ]
  edge
  [
    source 275
    target 269
    value 1
  ]
  edge
  [
    source 275
    target 44
    value 29
  ]
  edge
  [
    source 276
    target 164
    value 2
  ]
  edge
  [
    source 276
    target 271
    value 1
  ]
  edge
  [
    source 276
    target 273
    value 1
  ]
  edge
  [
    source 276
    target 44
    value 29
  ]
  edge
  [
    source 277
    target 165
    value 2
  ]
  edge
  [
    source 277
    target 249
    value 1
  ]
  edge
  [
    source 277
    target 268
    value 1
  ]
  edge
  [
    source 277
    target 44
    value 29
  ]
  edge
  [
    source 278
    target 274
    value 1
  ]
  edge
  [
    source 278
    target 277
    value 4
  ]
  edge
  [
    source 278
    target 97
    value 9
  ]
  edge
  [
    source 278
    target 269
    value 1
  ]
  edge
  [
    source 278
    target 271
    value 9
  ]
  edge
  [
    source 278
    target 273
    value 22
  ]
  edge
  [
    source 278
    target 268
    value 7
  ]
  edge
  [
    source 278
    target 44
    value 22
  ]
  edge
  [
    source 279
    target 276
    value 8
  ]
  edge
  [
    source 279
    target 246
    value 1
  ]
  edge
  [
    source 279
    target 44
    value 10
  ]
  edge
  [
    source 280
    target 277
    value 6
  ]
  edge
  [
    source 280
    target 97
    value 15
  ]
  edge
  [
    source 280
    target 44
    value 18
  ]
  edge
  [
    source 281
    target 277
    value 15
  ]
  edge
  [
    source 281
    target 44
    value 18
  ]
  edge
  [
    source 282
    target 219
    value 1
  ]
  edge
  [
    source 282
    target 142
    value 1
  ]
  edge
  [
    source 282
    target 238
    value 1
  ]
  edge
  [
    source 282
    target 200
    value 1
  ]
  edge
  [
    source 282
    target 44
    value 2
  ]
  edge
  [
    source 282
    target 44
    value 2
  ]
  edge
  [
    source 283
    target 202
    value 1
  ]
  edge
  [
    source 283
    target 199
    value 1
  ]
  edge
  [
    source 283
    target 276
    value 2
  ]
  edge
  [
    source 283
    target 195
    value 2
  ]
  edge
  [
    source 283
    target 193
    value 2
  ]
  edge
  [
    source 283
    target 244
    value 2
  ]
  edge
  [
    source 283
    target 44
    value 8
  ]
  edge
  [
    source 284
    target 187
    value 1
  ]
  edge
  [
    source 284
    target 233
    value 1
  ]
  edge
  [
    source 284
    target 275
    value 1
  ]
  edge
  [
    source 284
    target 276
    value 1
  ]
  edge
  [
    source 284
    target 277
    value 1
  ]
  edge
  [
    source 284
    target 142
    value 1
  ]
  edge
  [
    source 284
    target 145
    value 1
  ]
  edge
  [
    source 284
    target 244
    value 1
  ]
  edge
  [
    source 284
    target 249
    value 1
  ]
  edge
  [
    source 284
    target 227
    value 1
  ]
  edge
  [
    source 284
    target 221
    value 1
  ]
  edge
  [
    source 284
    target 183
    value 1
  ]
  edge
  [
    source 284
    target 271
    value 1
  ]
  edge
  [
    source 284
    target 273
    value 1
  ]
  edge
  [
    source 284
    target 268
    value 1
  ]
  edge
  [
    source 284
    target 44
    value 1
  ]
  edge
  [
    source 284
    target 44
    value 10
  ]
  edge
  [
    source 285
    target 44
    value 1
  ]
  edge
  [
    source 286
    target 44
    value 1
  ]
  edge
  [
    source 287
    target 44
    value 1
  ]
  edge
  [
    source 288
    target 44
    value 1
  ]
  edge
  [
    source 289
    target 44
    value 1
  ]
  edge
  [
    source 290
    target 44
    value 1
  ]
  edge
  [
    source 291
    target 44
    value 1
  ]
  edge
  [
    source 292
    target 44
    value 1
  ]
  edge
  [
    source 293
    target 44
    value 1
  ]
  edge
  [
    source 294
    target 44
    value 1
  ]
  edge
  [
    source 295
    target 190
    value 1
  ]
  edge
  [
    source 296
    target 190
    value 1
  ]
]
